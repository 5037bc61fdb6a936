// The shell: sign-in, the page router (#/explorer, ...), errors as the API returns them.
import { ApiError, run, signIn, signOut, token } from "./api.js";
import { clearErrors, showError } from "./dom.js";
import { explorerPage } from "./explorer.js";
import { changePage } from "./change.js";
import { changeCalendarPage } from "./change-calendar.js";

const pages = { explorer: explorerPage, change: changePage, changes: changeCalendarPage };

function showSignIn() {
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
  clearErrors();
  if (!token()) {
    showSignIn();
    return;
  }
  document.getElementById("sign-out").hidden = false;
  const [name, ...args] = location.hash.replace(/^#\/?/, "").split("/");
  const page = pages[name] ?? pages.explorer;
  for (const link of document.querySelectorAll("nav a")) {
    link.classList.toggle("current", link.dataset.page === (pages[name] ? name : "explorer"));
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
  route();
});
route();
