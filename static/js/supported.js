// Loaded with a blocking <script src> straight after <body> opens, before anything is
// painted: tells GOV.UK Frontend's CSS that JavaScript runs and that the browser supports
// its components (ES modules), without an inline script (the CSP forbids those).
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
