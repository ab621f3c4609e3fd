// Bundles src/tiptap.js and its npm dependencies (exact versions in package-lock.json) into
// one minified ES module, and copies every bundled package's licence beside it.
// Run through `make editor` (npm ci, then this script).
import { build } from "esbuild";
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "static", "desk", "editor");
mkdirSync(out, { recursive: true });

const result = await build({
  entryPoints: [join(here, "src", "tiptap.js")],
  bundle: true,
  format: "esm",
  minify: true,
  target: ["es2020"],
  legalComments: "none", // the licences are copied whole into LICENSES.txt
  metafile: true,
  outfile: join(out, "tiptap.js"),
});

// Every package that ended up in the bundle, with its version and licence text.
const packages = new Map();
for (const input of Object.keys(result.metafile.inputs)) {
  const match = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
  if (match) packages.set(match[1], null);
}
const sections = [];
const versions = [];
for (const name of [...packages.keys()].sort()) {
  const root = join(here, "node_modules", name);
  const meta = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const licenceFile = readdirSync(root).find((file) => /^(licen[cs]e|copying)/i.test(file));
  let text = licenceFile ? readFileSync(join(root, licenceFile), "utf8").trim() : null;
  if (!text) {
    // A few Tiptap packages ship no licence file of their own: the monorepo's MIT licence.
    const fallback = join(here, "node_modules", "@tiptap", "core", "LICENSE.md");
    text = existsSync(fallback) ? readFileSync(fallback, "utf8").trim() : `License: ${meta.license}`;
  }
  versions.push(`${name}@${meta.version} (${meta.license})`);
  sections.push(`${"=".repeat(78)}\n${name}@${meta.version}  License: ${meta.license}\n${"=".repeat(78)}\n\n${text}\n`);
}
writeFileSync(
  join(out, "LICENSES.txt"),
  "Third-party software bundled in tiptap.js (built by warta/desk/jsbuild, `make editor`).\n\n" +
    sections.join("\n"),
);
writeFileSync(join(out, "VERSION"), versions.join("\n") + "\n");
console.log(`tiptap.js: ${packages.size} packages, ${result.metafile.outputs[Object.keys(result.metafile.outputs)[0]].bytes} bytes`);
