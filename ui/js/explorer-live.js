// The explorer's services panel, live: each listed service's state now (its computed state with
// every CI of an open outage-causing incident failed, from `impactChanged`), beside the state it
// would have if the selected CI failed; and what is open on them (incidents, changes in flight)
// read again when an incident or a change that names one of them is written by anyone.
import { subscribe } from "./live.js";
import { debounce, h, showError } from "./dom.js";

const ACTIVITY_DELAY_MS = 200; // a burst of writes reads the activity once

/**
 * Follows the services listed in `list` (li.service with data-ci-id) until the returned function
 * is called or the page is left. `readActivity()` reads their open incidents and changes again.
 */
export function followServices(list, ids, readActivity) {
  if (!ids.length) return () => {};
  const watched = new Set(ids);
  const again = debounce(() => readActivity().catch(showError), ACTIVITY_DELAY_MS);
  const stops = [
    subscribe("ServiceImpactChanged", { serviceIds: ids }, {
      onData: ({ impactChanged: change }) => {
        showNow(list, change);
        if (change.previousState) again();
      },
      onError: showError,
      onReconnect: again,
    }),
    subscribe("IncidentUpdated", { numbers: null }, {
      onData: ({ incidentUpdated: { incident } }) => {
        if (incident.impactedServices.some((s) => watched.has(s.service.id))) again();
      },
      onError: showError,
      onReconnect: again,
    }),
    subscribe("ChangeUpdated", { numbers: null }, {
      // The message names the change, not its impacted services: any change may add or drop
      // one of the listed services from the changes in flight.
      onData: () => again(),
      onError: showError,
      onReconnect: again,
    }),
  ];
  return () => stops.forEach((stop) => stop());
}

function showNow(list, change) {
  for (const item of list.querySelectorAll(`li.service[data-ci-id="${CSS.escape(change.service.id)}"]`)) {
    item.dataset.now = change.state;
    item.querySelector(".now").replaceChildren(
      "now ",
      h("span", { class: `live-state ${change.state}` }, change.state),
      change.previousState
        ? h("small", {}, ` (was ${change.previousState}; ${change.operation} by ${change.actor})`)
        : "",
    );
  }
}
