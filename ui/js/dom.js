// Small DOM helpers: elements from a tag, attributes and children; text is always text.

export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (name === "dataset") Object.assign(element.dataset, value);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** A badge for an ImpactState (OPERATIONAL, DEGRADED, DOWN). */
export function stateBadge(state) {
  return h("span", { class: `state ${state}` }, state);
}

/** Shows `error` as the API returned it: each message with its code. */
export function showError(error) {
  const box = document.getElementById("errors");
  const errors = error.errors ?? [{ message: String(error.message ?? error) }];
  box.replaceChildren(
    ...errors.map((e) =>
      h(
        "div",
        { class: "error" },
        e.extensions?.code ? h("code", {}, e.extensions.code) : null,
        " ",
        e.message,
        e.path ? h("small", {}, ` (at ${e.path.join(".")})`) : null,
      ),
    ),
    h("button", { type: "button", onclick: () => box.replaceChildren() }, "Dismiss"),
  );
}

export function clearErrors() {
  document.getElementById("errors").replaceChildren();
}

/** `fn` called once `ms` have passed without another call. */
export function debounce(fn, ms) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}
