// Wide tables scroll inside their own region, never the whole page (WCAG 1.4.10 Reflow: at
// 320 CSS pixels, or 400% zoom, only a data table may scroll sideways). Every GOV.UK table
// not already in one (templates may write `.pc-table-scroll` themselves) is put in a
// `.pc-table-region`; while its table is wider than the region, the region is a named,
// keyboard-focusable landmark ("region", named by the table's caption or the heading
// before it), so that keyboard users can scroll it; when it fits, it is a plain block and
// no extra tab stop.

let named = 0;

function nameFor(table, region) {
  const caption = table.querySelector("caption");
  if (caption) {
    if (!caption.id) {
      named += 1;
      caption.id = `pc-table-caption-${named}`;
    }
    region.setAttribute("aria-labelledby", caption.id);
    return;
  }
  if (table.getAttribute("aria-label")) {
    region.setAttribute("aria-label", table.getAttribute("aria-label"));
    return;
  }
  let node = region.previousElementSibling;
  while (node && !/^H[1-6]$/.test(node.tagName)) node = node.previousElementSibling;
  region.setAttribute("aria-label", node ? node.textContent.trim() : "Table");
}

function fit(region) {
  const scrolls = region.scrollWidth > region.clientWidth;
  if (scrolls && !region.hasAttribute("role")) {
    region.setAttribute("role", "region");
    region.tabIndex = 0;
    nameFor(region.firstElementChild, region);
  } else if (!scrolls && region.hasAttribute("role")) {
    // A plain block again: no role, no tab stop, and no name (a name on an element without
    // a role is not allowed).
    region.removeAttribute("role");
    region.removeAttribute("tabindex");
    region.removeAttribute("aria-label");
    region.removeAttribute("aria-labelledby");
  }
}

const regions = [];
for (const table of document.querySelectorAll("table.govuk-table")) {
  // Already in a scrolling region a template wrote (its own role, name and tab stop).
  if (table.closest('.pc-table-scroll, .pc-table-region, .pc-grid, [role="region"]')) continue;
  const region = document.createElement("div");
  region.className = "pc-table-region";
  table.before(region);
  region.append(table);
  regions.push(region);
}

if (regions.length) {
  regions.forEach(fit);
  if ("ResizeObserver" in window) {
    // The region's size (zoom, rotation) and its table's (text and fonts arriving later).
    const observer = new ResizeObserver((entries) =>
      entries.forEach((entry) => fit(entry.target.closest(".pc-table-region"))),
    );
    regions.forEach((region) => {
      observer.observe(region);
      observer.observe(region.firstElementChild);
    });
  }
}
