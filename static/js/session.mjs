// The session timeout warning (WCAG 2.2.1 Timing adjustable). The server says how long
// the session has left (`data-pc-session-expires-in` on <body>, seconds; empty when its
// end is not fixed). Some minutes before the end, a modal dialog says so and offers "Stay
// signed in", which posts to the server and starts the session's full time again. Before
// warning, the page asks the server again (GET, which writes nothing): another tab may
// have kept the session going. At the end, the page goes to sign-in and comes back here
// afterwards; text not yet saved is kept by drafts.mjs.

const dialog = document.getElementById("session-timeout");
const left = Number.parseInt(document.body.dataset.pcSessionExpiresIn || "", 10);

function describe(seconds) {
  if (seconds >= 90) {
    const minutes = Math.round(seconds / 60);
    return `${minutes} minutes`;
  }
  if (seconds >= 60) return "1 minute";
  const rounded = Math.max(0, Math.ceil(seconds / 10) * 10);
  return `${rounded} seconds`;
}

if (dialog && Number.isFinite(left) && typeof dialog.showModal === "function") {
  const form = dialog.querySelector("form");
  const remaining = dialog.querySelector("[data-pc-timeout-remaining]");
  const statusUrl = dialog.dataset.pcStatusUrl;
  const signInUrl = dialog.dataset.pcSignInUrl;
  let warnBefore = Number.parseInt(dialog.dataset.pcWarnBefore, 10) || 300;
  let endsAt = Date.now() + left * 1000;
  let warnTimer = null;
  let tick = null;

  const signedOut = () => {
    const here = window.location.pathname + window.location.search;
    window.location.assign(`${signInUrl}?next=${encodeURIComponent(here)}`);
  };

  const close = () => {
    window.clearInterval(tick);
    tick = null;
    if (dialog.open) dialog.close();
  };

  const showRemaining = () => {
    const seconds = Math.round((endsAt - Date.now()) / 1000);
    if (seconds <= 0) {
      close();
      signedOut();
      return;
    }
    remaining.textContent = describe(seconds);
  };

  const schedule = () => {
    window.clearTimeout(warnTimer);
    warnTimer = window.setTimeout(check, Math.max(0, endsAt - warnBefore * 1000 - Date.now()));
  };

  const learn = (answer) => {
    if (answer.expires_in === null || answer.expires_in === undefined) return false;
    endsAt = Date.now() + answer.expires_in * 1000;
    warnBefore = answer.warn_before || warnBefore;
    return true;
  };

  const warn = () => {
    showRemaining();
    if (!dialog.open) {
      dialog.showModal();
      form.querySelector("button[type=submit]").focus();
    }
    window.clearInterval(tick);
    tick = window.setInterval(showRemaining, 1000);
  };

  async function check() {
    try {
      const response = await fetch(statusUrl, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        redirect: "manual",
      });
      if (response.type === "opaqueredirect" || response.status === 302) {
        signedOut(); // already ended (signed out in another tab)
        return;
      }
      if (response.ok && learn(await response.json())) {
        if (endsAt - Date.now() > warnBefore * 1000) {
          schedule(); // kept going elsewhere
          return;
        }
      }
    } catch {
      // The server did not answer: warn on what the page knows.
    }
    warn();
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = new URLSearchParams();
    body.set("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        redirect: "manual",
      });
      if (!response.ok) throw new Error(`status ${response.status}`);
      learn(await response.json());
      close();
      schedule();
    } catch {
      signedOut(); // the session had already ended: sign in again (drafts are kept)
    } finally {
      delete form.dataset.submitted;
    }
  });

  dialog.querySelector("[data-pc-timeout-sign-out]").addEventListener("click", () => {
    const signOut = document.getElementById("sign-out");
    if (signOut && signOut.form) signOut.form.requestSubmit(signOut);
  });

  // Escape answers "Stay signed in" (closing the dialog without an answer would leave the
  // session to end unnoticed).
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    form.requestSubmit();
  });

  schedule();
}
