// Copies what the browser needs from node_modules into static/dist (git-ignored):
// GOV.UK Frontend's assets (images; fonts are not used) and its JavaScript bundle with its
// source map (ManifestStaticFilesStorage follows sourceMappingURL comments, so the map must
// exist too).
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const govuk = path.join(root, "node_modules", "govuk-frontend", "dist", "govuk");
const out = path.join(root, "static", "dist", "govuk");

fs.rmSync(path.join(out, "assets"), { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });
fs.cpSync(path.join(govuk, "assets"), path.join(out, "assets"), { recursive: true });
for (const name of ["govuk-frontend.min.js", "govuk-frontend.min.js.map"]) {
  fs.copyFileSync(path.join(govuk, name), path.join(out, name));
}

// Every url() in the compiled CSS must point at a file we serve.
const css = fs.readFileSync(path.join(root, "static", "dist", "app.css"), "utf8");
const missing = [];
for (const [, raw] of css.matchAll(/url\(\s*["']?([^"')]+)["']?\s*\)/g)) {
  if (raw.startsWith("data:") || raw.startsWith("#")) continue;
  if (!raw.startsWith("/static/")) {
    missing.push(`${raw} (not under /static/)`);
    continue;
  }
  const relative = raw.slice("/static/".length).split(/[?#]/)[0];
  if (!fs.existsSync(path.join(root, "static", relative))) missing.push(raw);
}
if (missing.length) {
  console.error(`app.css refers to files that do not exist:\n  ${missing.join("\n  ")}`);
  process.exit(1);
}
console.log("Copied GOV.UK Frontend assets and JavaScript to static/dist/govuk");
