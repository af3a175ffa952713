// Focus after a form is sent (issue 15). GOV.UK Frontend's error summary, and a success or
// problem banner with role="alert", take focus when the page loads, so that a screen reader
// reads them first and the page opens at them. A fragment in the address undoes that: the
// browser goes to the fragment's element after the components have focused, and focus moves
// to the page itself. After the skip link the address ends in "#main-content", and a form
// with no action is sent to the address as it stands, fragment included; the browser keeps
// the fragment on the page that comes back, and through a redirect.

// A form with no action (or an empty one) is sent to this address without its fragment.
// The path and query are the same, so the server sees the same request.
const here = window.location.pathname + window.location.search;
for (const form of document.querySelectorAll("form")) {
  if (!form.getAttribute("action")) {
    form.setAttribute("action", here);
  }
}

// A page that opens with a fragment and has something that takes focus: drop the fragment
// from the address before the browser goes to it (this module runs before the components
// are initialised, app.mjs). An error summary always comes first. A banner gives way to a
// fragment that names a place further down the page, where a view deliberately sends the
// person back to (e.g. "#report-share"), but not to one that names where the banner
// already is (the skip link's "#main-content", which holds the banner).
function takesFocus(element) {
  return element !== null && element.dataset.disableAutoFocus !== "true";
}

function fragmentTarget() {
  try {
    return document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
  } catch {
    return null; // a malformed fragment names nothing
  }
}

if (window.location.hash) {
  const summary = document.querySelector('[data-module="govuk-error-summary"]');
  const banner = document.querySelector(
    '[data-module="govuk-notification-banner"][role="alert"]',
  );
  const target = fragmentTarget();
  const drop =
    takesFocus(summary) ||
    (takesFocus(banner) && (target === null || target.contains(banner)));
  if (drop) {
    window.history.replaceState(window.history.state, "", here);
  } else if (target !== null && target.matches("input, select, textarea")) {
    // A "Change" link of a check-your-answers page names the field to change
    // ("?change=1#id_days", peerchallenge/views/check_answers.py): the browser only scrolls
    // to it; it takes focus, as an error summary's link gives it.
    target.focus();
  }
}
