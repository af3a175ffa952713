// Passkeys and security keys (templates/mfa/webauthn/). allauth's webauthn.js asks the
// browser for the key and sends the form; when the browser refuses (the person cancelled,
// the time ran out, the key was already added, or failed), it only writes to the console.
// Here the page says so, in the error summary the template holds hidden
// (templates/mfa/webauthn/snippets/key_error.html), which takes focus as GOV.UK's does.
import { ErrorSummary } from "../dist/govuk/govuk-frontend.min.js";

const summary = document.getElementById("passkey-error");
const message = document.getElementById("passkey-error-message");
const button = summary && document.getElementById(summary.dataset.button);

function messageFor(exception) {
  switch (exception?.name) {
    case "NotAllowedError":
      return summary.dataset.notAllowed;
    case "InvalidStateError":
      return summary.dataset.alreadyAdded;
    default:
      return summary.dataset.failed;
  }
}

if (summary && message) {
  document.addEventListener("allauth.error", (event) => {
    event.preventDefault(); // told on the page instead of in the console
    message.textContent = messageFor(event.detail.exception);
    if (summary.hidden) {
      summary.hidden = false;
      if (!document.title.startsWith("Error: ")) {
        document.title = `Error: ${document.title}`;
      }
    }
    if (summary.dataset.module === "govuk-error-summary") {
      summary.focus(); // shown before: GOV.UK Frontend set it up already
    } else {
      summary.dataset.module = "govuk-error-summary";
      new ErrorSummary(summary); // focuses it, and its link moves to the button
    }
  });
}

// Enter in the key's name field would send the form without a key: ask for the key instead.
// (Django writes an empty JSON field as "null".)
if (button?.form) {
  button.form.addEventListener("submit", (event) => {
    const credential = button.form.elements.credential?.value;
    if (!credential || credential === "null") {
      event.preventDefault();
      button.click();
    }
  });
}
