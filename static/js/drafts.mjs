// Kept drafts: the long texts a person writes (report sections, lines of enquiry,
// self-evaluations, next steps: every <textarea> of a POST form) are copied to this
// browser's local storage as they type, so that nothing is lost when the form cannot be
// saved: the session ended (the form went to sign-in), the connection dropped, the tab
// closed. Back on the page, a banner offers to put the text back.
//
// A draft is forgotten when it has done its work: the page shows the same text again (it
// was saved), or the form was sent and the next page was an ordinary one (the server took
// it and moved on). It is kept when the next page is the sign-in page, shows an error
// summary, or is an error page (`data-pc-keep-drafts`). Drafts belong to the person who
// wrote them (`data-pc-draft-owner`, a keyed hash of their account, not their id), are
// removed when they sign out, and expire after a week. A form opts out with
// `data-pc-draft="off"`.

const PREFIX = "pc-draft:";
const PENDING = "pc-draft-pending";
const MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;
const PENDING_MAX_AGE_MS = 2 * 60 * 1000;
const SAVE_DELAY_MS = 400;

const owner = document.body.dataset.pcDraftOwner || "";

function storage(kind) {
  try {
    const store = window[kind];
    const probe = `${PREFIX}probe`;
    store.setItem(probe, "1");
    store.removeItem(probe);
    return store;
  } catch {
    return null; // storage switched off or full: the page works as before
  }
}

const local = storage("localStorage");
const session = storage("sessionStorage");

function normalise(text) {
  return text.replace(/\r\n?/g, "\n").trim();
}

function read(key) {
  try {
    return JSON.parse(local.getItem(key));
  } catch {
    return null;
  }
}

function forgetExpired() {
  const now = Date.now();
  for (let i = local.length - 1; i >= 0; i -= 1) {
    const key = local.key(i);
    if (key && key.startsWith(PREFIX)) {
      const draft = read(key);
      if (!draft || typeof draft.savedAt !== "number" || now - draft.savedAt > MAX_AGE_MS) {
        local.removeItem(key);
      }
    }
  }
}

function forgetOwner() {
  const mine = `${PREFIX}${owner}:`;
  for (let i = local.length - 1; i >= 0; i -= 1) {
    const key = local.key(i);
    if (key && key.startsWith(mine)) {
      local.removeItem(key);
    }
  }
}

// What the first page after a form was sent says about it.
function settlePending() {
  if (!session) return;
  let pending = null;
  try {
    pending = JSON.parse(session.getItem(PENDING));
  } catch {
    pending = null;
  }
  session.removeItem(PENDING);
  if (!pending || Date.now() - pending.at > PENDING_MAX_AGE_MS) return;
  const notTaken =
    !owner ||
    document.querySelector(".govuk-error-summary, [data-pc-keep-drafts]") !== null;
  if (!notTaken) {
    for (const key of pending.keys) local.removeItem(key);
  }
}

function draftedForms() {
  return [...document.querySelectorAll('form[method="post" i]')].filter(
    (form) => form.dataset.pcDraft !== "off" && form.querySelector("textarea[name]"),
  );
}

function keyOf(form, position) {
  const action = new URL(form.getAttribute("action") || "", window.location.href);
  return `${PREFIX}${owner}:${window.location.pathname}|${action.pathname}|${position}`;
}

function textareasOf(form) {
  return [...form.querySelectorAll("textarea[name]")].filter(
    (area) => area.dataset.pcDraft !== "off",
  );
}

function watch(form, key) {
  const areas = textareasOf(form);
  const initial = new Map(areas.map((area) => [area.name, normalise(area.value)]));
  let timer = null;

  const save = () => {
    window.clearTimeout(timer);
    timer = null;
    const fields = {};
    let changed = false;
    for (const area of areas) {
      fields[area.name] = area.value;
      if (normalise(area.value) !== initial.get(area.name)) changed = true;
    }
    try {
      if (changed) {
        local.setItem(key, JSON.stringify({ savedAt: Date.now(), fields }));
      } else {
        local.removeItem(key);
      }
    } catch {
      // Storage full: nothing more can be kept, the form itself still works.
    }
  };

  for (const area of areas) {
    area.addEventListener("input", () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(save, SAVE_DELAY_MS);
    });
  }
  window.addEventListener("pagehide", () => {
    if (timer !== null) save();
  });
  form.addEventListener("submit", () => {
    save();
    if (!session || read(key) === null) return;
    let pending = { at: Date.now(), keys: [] };
    try {
      pending = JSON.parse(session.getItem(PENDING)) || pending;
    } catch {
      // a damaged record: start a new one
    }
    pending.at = Date.now();
    if (!pending.keys.includes(key)) pending.keys.push(key);
    session.setItem(PENDING, JSON.stringify(pending));
  });
}

function when(timestamp) {
  const date = new Date(timestamp);
  const time = date
    .toLocaleTimeString("en-GB", { hour: "numeric", minute: "2-digit", hour12: true })
    .replace(" ", "");
  const day = date.toLocaleDateString("en-GB", { weekday: "long", day: "numeric", month: "long" });
  return `${time} on ${day}`;
}

function offer(form, key, draft, position) {
  const areas = textareasOf(form);
  const differs = areas.some(
    (area) =>
      typeof draft.fields[area.name] === "string" &&
      normalise(draft.fields[area.name]) !== normalise(area.value),
  );
  if (!differs) {
    local.removeItem(key); // what the page shows is what was kept: it was saved
    return;
  }
  const titleId = `pc-draft-title-${position}`;
  const banner = document.createElement("div");
  banner.className = "govuk-notification-banner pc-draft-banner";
  banner.setAttribute("role", "region");
  banner.setAttribute("aria-labelledby", titleId);
  banner.innerHTML = `
    <div class="govuk-notification-banner__header">
      <h2 class="govuk-notification-banner__title" id="${titleId}">Unsaved text</h2>
    </div>
    <div class="govuk-notification-banner__content">
      <p class="govuk-notification-banner__heading">Text you wrote here was not saved</p>
      <p class="govuk-body">This device kept what you wrote at <span data-pc-draft-when></span>. Put it back in the form to check it and save it, or discard it.</p>
      <div class="govuk-button-group">
        <button type="button" class="govuk-button govuk-!-margin-bottom-0" data-pc-draft-restore>Put my text back</button>
        <button type="button" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" data-pc-draft-discard>Discard it</button>
      </div>
    </div>`;
  banner.querySelector("[data-pc-draft-when]").textContent = when(draft.savedAt);
  form.before(banner);

  banner.querySelector("[data-pc-draft-restore]").addEventListener("click", () => {
    let first = null;
    for (const area of areas) {
      const text = draft.fields[area.name];
      if (typeof text === "string") {
        area.value = text;
        area.dispatchEvent(new Event("input", { bubbles: true })); // character counts, and re-kept
        first = first || area;
      }
    }
    banner.remove();
    if (first) first.focus();
  });
  banner.querySelector("[data-pc-draft-discard]").addEventListener("click", () => {
    local.removeItem(key);
    banner.remove();
    if (areas[0]) areas[0].focus();
  });
}

if (local) {
  forgetExpired();
  settlePending();
  if (owner) {
    draftedForms().forEach((form, position) => {
      const key = keyOf(form, position);
      const draft = read(key);
      if (draft && draft.fields) offer(form, key, draft, position);
      watch(form, key);
    });
    const signOut = document.getElementById("sign-out");
    if (signOut && signOut.form) {
      signOut.form.addEventListener("submit", forgetOwner);
    }
  }
}
