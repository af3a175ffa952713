// Initialises every GOV.UK Frontend component on the page (error summary focus, skip link,
// notification banners, service navigation toggle, buttons, character counts...).
// This file is served at /static/js/app.mjs; the bundle at /static/dist/govuk/.
import { initAll } from "../dist/govuk/govuk-frontend.min.js";

// The server checks every answer and explains problems the GOV.UK way (error summary and
// messages by the fields); the browser's own pop-up validation would get in first.
for (const form of document.querySelectorAll("form")) {
  form.noValidate = true;
}

initAll();
