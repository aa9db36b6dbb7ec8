// Build the front-end assets the app serves from survey_app/static/build/:
//   app.css                 GOV.UK Frontend's Sass with a system font stack (no GDS Transport,
//                           no crown), plus our own additions
//   govuk-frontend.min.js   the package's compiled JavaScript, unchanged
// Everything comes from node_modules; nothing is fetched from anywhere else.
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
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
writeFileSync(join(out, "app.css"), result.css);
copyFileSync(join(govuk, "govuk-frontend.min.js"), join(out, "govuk-frontend.min.js"));
console.log(`built ${out}: app.css (${Math.round(result.css.length / 1024)} KB), govuk-frontend.min.js`);
