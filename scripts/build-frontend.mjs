// Build the front-end assets the app serves from survey_app/static/build/:
//   app.css                 GOV.UK Frontend's Sass with a system font stack (no GDS Transport,
//                           no crown), plus our own additions
//   govuk-frontend.min.js   the package's compiled JavaScript, unchanged
// Everything comes from node_modules; nothing is fetched from anywhere else.
// No images, manifest or fonts are copied: every file in GOV.UK Frontend's assets folder is
// GOV.UK branding (crown favicon, crest, GOV.UK icons) or the GDS Transport typeface, which are
// for GOV.UK services only. The app serves its own favicon (survey_app/static/favicon.svg), and
// the style sheet is checked below to point at nothing that is not here.
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "survey_app", "static", "build");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");

mkdirSync(out, { recursive: true });

const result = sass.compile(join(root, "survey_app", "assets", "scss", "app.scss"), {
  loadPaths: [join(root, "node_modules")],
  style: "compressed",
  sourceMap: false,
  quietDeps: true,
  silenceDeprecations: ["import"],
});
// Fail the build if the style sheet would load a web font or anything the app does not serve.
const problems = new Set();
if (result.css.includes("@font-face")) problems.add("it declares a web font (@font-face)");
for (const [, ref] of result.css.matchAll(/url\(\s*["']?([^"')]+)["']?\s*\)/g)) {
  if (ref.startsWith("data:")) continue;
  const served = ref.startsWith("/static/") && existsSync(join(root, "survey_app", ref));
  if (!served) problems.add(`it points at ${ref}, which the app does not serve`);
}
if (problems.size) {
  console.error(`app.scss: ${[...problems].join("; ")}`);
  process.exit(1);
}
writeFileSync(join(out, "app.css"), result.css);
copyFileSync(join(govuk, "govuk-frontend.min.js"), join(out, "govuk-frontend.min.js"));
console.log(`built ${out}: app.css (${Math.round(result.css.length / 1024)} KB), govuk-frontend.min.js`);
