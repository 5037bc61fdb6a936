// The shell: sign-in, the page router (#/explorer, ...), errors as the API returns them.
import { ApiError, run, signIn, signOut, token } from "./api.js";
import { clearErrors, showError } from "./dom.js";
import { explorerPage } from "./explorer.js";
import { changePage } from "./change.js";
import { changeCalendarPage } from "./change-calendar.js";
import { incidentListPage, incidentPage } from "./incident.js";
import { disconnect, endPageSubscriptions } from "./live.js";
import { servicePage } from "./service.js";

const pages = {
  explorer: explorerPage,
  change: changePage,
  changes: changeCalendarPage,
  incidents: incidentListPage,
  incident: incidentPage,
  service: servicePage,
};
// The nav link that is current on each page (a trace belongs to the incident list, a change
// to the calendar).
const navOf = { incident: "incidents", change: "changes" };

// Who is signed in, in the header: read once per token (`viewer`, no database call).
let whoFor = null;
async function showWho() {
  const who = document.getElementById("who");
  if (whoFor === token()) return;
  whoFor = token();
  who.textContent = "";
  try {
    const { viewer } = await run("Viewer");
    who.textContent = `${viewer.name} (${viewer.roles.map((r) => r.toLowerCase()).join(", ")})`;
  } catch {
    whoFor = null; // the page asks the API too, and shows its error
  }
}

function showSignIn() {
  whoFor = null;
  document.getElementById("who").textContent = "";
  const form = document.getElementById("sign-in").content.cloneNode(true);
  document.getElementById("page").replaceChildren(form);
  document.getElementById("sign-out").hidden = true;
  document.getElementById("sign-in-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    signIn(new FormData(event.target).get("token"));
    try {
      await run("SignInCheck");
    } catch (error) {
      signOut();
      showError(error);
      return;
    }
    route();
  });
}

async function route() {
  endPageSubscriptions();
  clearErrors();
  if (!token()) {
    showSignIn();
    return;
  }
  document.getElementById("sign-out").hidden = false;
  showWho();
  const [name, ...args] = location.hash.replace(/^#\/?/, "").split("/");
  const page = pages[name] ?? pages.explorer;
  const current = pages[name] ? (navOf[name] ?? name) : "explorer";
  for (const link of document.querySelectorAll("nav a")) {
    link.classList.toggle("current", link.dataset.page === current);
  }
  const root = document.getElementById("page");
  root.replaceChildren();
  try {
    await page(root, args.map(decodeURIComponent));
  } catch (error) {
    if (error instanceof ApiError && error.unauthenticated) {
      signOut();
      showSignIn();
    }
    showError(error);
  }
}

window.addEventListener("unhandledrejection", (event) => {
  if (event.reason instanceof ApiError && event.reason.unauthenticated) {
    signOut();
    showSignIn();
  }
  showError(event.reason);
});
window.addEventListener("hashchange", route);
document.getElementById("sign-out").addEventListener("click", () => {
  signOut();
  disconnect();
  route();
});
route();
