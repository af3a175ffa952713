// Initialises every GOV.UK Frontend component on the page (error summary focus, skip link,
// notification banners, service navigation toggle, buttons, character counts...).
// This file is served at /static/js/app.mjs; the bundle at /static/dist/govuk/.
import { initAll } from "../dist/govuk/govuk-frontend.min.js";
import "./drafts.mjs";
import "./session.mjs";
import "./focus.mjs";
import "./tables.mjs";

// The server checks every answer and explains problems the GOV.UK way (error summary and
// messages by the fields); the browser's own pop-up validation would get in first.
for (const form of document.querySelectorAll("form")) {
  form.noValidate = true;
}

// A form is sent once. Every submit button of a POST form gets GOV.UK Frontend's
// double-click guard (data-prevent-double-click); a form already being sent ignores further
// submits (Enter pressed twice, a second click after a second) until the page is shown
// again. The server's one-time form token (peerchallenge/form_tokens.py) is the guarantee;
// this spares people the "already sent" page. Buttons are not disabled: the pressed
// button's name must still be sent.
for (const form of document.querySelectorAll('form[method="post" i]')) {
  for (const button of form.querySelectorAll(".govuk-button")) {
    button.dataset.module = "govuk-button";
    button.dataset.preventDoubleClick = "true";
  }
  form.addEventListener("submit", (event) => {
    if (form.dataset.submitted === "true") {
      event.preventDefault();
      return;
    }
    form.dataset.submitted = "true";
  });
}
window.addEventListener("pageshow", () => {
  for (const form of document.querySelectorAll('form[data-submitted="true"]')) {
    delete form.dataset.submitted;
  }
});

initAll();
