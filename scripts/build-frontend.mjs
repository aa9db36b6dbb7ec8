// Build the front-end assets the app serves from survey_app/static/build/, each under a name that
// carries a hash of its content (so browsers may keep it for a year: a changed file gets a new name):
//   app.<hash>.css          GOV.UK Frontend's Sass with a system font stack (no GDS Transport,
//                           no crown), plus our own additions
//   app-rtl.<hash>.css      the same, mirrored for right-to-left pages, plus the one web font's
//                           @font-face
//   fonts/<name>.<hash>.woff2  the Urdu Nastaliq font, subset by scripts/subset_fonts.py to the
//                           characters the platform's Urdu texts use: a page downloads it only
//                           if it is in Urdu (or Shahmukhi Punjabi), shows one of those characters
//                           and the device has no Nastaliq font of its own
//   js/<name>.<hash>.js     every script in survey_app/static/js/, bundled with what it imports and
//                           minified; init.js imports only the GOV.UK Frontend components the
//                           pages use, so the rest of GOV.UK Frontend's JavaScript is left out
//   <name>.<hash>.<ext>     every other file in survey_app/static/ (the favicon), copied
// Text files also get a brotli (.br) and a gzip (.gz) copy, which the app sends to browsers that
// accept them. manifest.json maps each name the templates use (`url_for('static', filename=...)`)
// to its hashed name; the app reads it at start.
// Everything comes from node_modules; nothing is fetched from anywhere else.
// No images, manifest or fonts are copied from GOV.UK Frontend: every file in its assets folder is
// GOV.UK branding (crown favicon, crest, GOV.UK icons) or the GDS Transport typeface, which are
// for GOV.UK services only. The style sheet is checked below to point at nothing that is not here.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import * as esbuild from "esbuild";
import rtlcss from "rtlcss";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const staticDir = join(root, "survey_app", "static");
const out = join(staticDir, "build");
const python = process.env.PYTHON ?? join(root, ".venv", "bin", "python");
const COMPRESSIBLE = new Set([".css", ".js", ".svg"]);
const manifest = {};

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

// name: the path the templates ask for, relative to static/; content: the built bytes.
function emit(name, content) {
  const extension = extname(name);
  const hash = createHash("sha256").update(content).digest("hex").slice(0, 12);
  const hashed = join(dirname(name), `${basename(name, extension)}.${hash}${extension}`).replace(/^build\//, "");
  const path = join(out, hashed);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  if (COMPRESSIBLE.has(extension)) {
    compressed(`${path}.br`, content, brotliCompressSync(content, {
      params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: content.length },
    }));
    compressed(`${path}.gz`, content, gzipSync(content, { level: constants.Z_BEST_COMPRESSION }));
  }
  manifest[name] = `build/${hashed}`;
  return content.length;
}

// A compressed copy only where it is smaller: a tiny file can grow.
function compressed(path, content, smaller) {
  if (smaller.length < content.length) writeFileSync(path, smaller);
}

// The Nastaliq font, subset (scripts/subset_fonts.py), under a hashed name; returns its @font-face.
// The device's own copy comes first (local()); a page downloads the file only for a character in
// unicode-range, and only where the style sheet names the family (Urdu and Shahmukhi pages).
function nastaliq() {
  const folder = mkdtempSync(join(tmpdir(), "fonts-"));
  try {
    const file = join(folder, "noto-nastaliq-urdu.woff2");
    const subset = JSON.parse(execFileSync(python, [join(root, "scripts", "subset_fonts.py"), file], { encoding: "utf8" }));
    emit("build/fonts/noto-nastaliq-urdu.woff2", readFileSync(file));
    const url = manifest["build/fonts/noto-nastaliq-urdu.woff2"].replace(/^build\//, "");
    console.log(`Nastaliq subset: ${subset.characters} characters, ${Math.round(subset.bytes / 1024)} KB (from ${Math.round(subset.before / 1024)} KB)`);
    return `@font-face{font-family:"Noto Nastaliq Urdu";font-style:normal;font-weight:400;font-display:swap;` +
      `src:local("Noto Nastaliq Urdu"),local("NotoNastaliqUrdu-Regular"),url(${url}) format("woff2");` +
      `unicode-range:${subset.unicode_range}}`;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

function styles() {
  const result = sass.compile(join(root, "survey_app", "assets", "scss", "app.scss"), {
    loadPaths: [join(root, "node_modules")],
    style: "compressed",
    sourceMap: false,
    quietDeps: true,
    silenceDeprecations: ["import"],
  });
  // Fail the build if the style sheet would load a web font or any other file: the one web font
  // is added below, from the build's own subset.
  const problems = new Set();
  if (result.css.includes("@font-face")) problems.add("it declares a web font (@font-face)");
  for (const [, ref] of result.css.matchAll(/url\(\s*["']?([^"')]+)["']?\s*\)/g)) {
    // A file it pointed at would need a hashed name too; inline it as a data: URL instead.
    if (!ref.startsWith("data:")) problems.add(`it points at ${ref}; only data: URLs are allowed`);
  }
  if (problems.size) {
    console.error(`app.scss: ${[...problems].join("; ")}`);
    process.exit(1);
  }
  // Right-to-left pages (Urdu, Arabic, Pashto, Shahmukhi Punjabi) get the same sheet mirrored by
  // rtlcss: GOV.UK Frontend has no right-to-left support, and its physical left/right (floats,
  // radios, Back link chevron, borders) all flip; our own rules use logical properties, which
  // rtlcss leaves alone. Only these pages can need the Nastaliq font, so only this sheet names it.
  const mirrored = rtlcss.process(result.css);
  return [emit("build/app.css", Buffer.from(result.css)), emit("build/app-rtl.css", Buffer.from(mirrored + nastaliq()))];
}

async function scripts() {
  const sources = readdirSync(join(staticDir, "js")).filter((file) => file.endsWith(".js"));
  const result = await esbuild.build({
    entryPoints: sources.map((file) => join(staticDir, "js", file)),
    bundle: true,
    format: "esm",
    minify: true,
    write: false,
    outdir: out,
    nodePaths: [join(root, "node_modules")],
    logLevel: "warning",
  });
  // esbuild names each output after its entry point; one output per entry, no shared chunks.
  return result.outputFiles.map((file) => emit(`js/${basename(file.path)}`, Buffer.from(file.contents)));
}

function others() {
  return readdirSync(staticDir, { withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => emit(entry.name, readFileSync(join(staticDir, entry.name))));
}

const sizes = [...styles(), ...(await scripts()), ...others()];
writeFileSync(join(out, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`built ${out}: ${Object.keys(manifest).length} files, ${Math.round(sizes.reduce((a, b) => a + b) / 1024)} KB before compression`);
