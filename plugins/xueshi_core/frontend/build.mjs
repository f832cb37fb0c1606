// Copies Paragon's compiled CSS (core + light theme) from the locked npm package into the Django
// static folder of xueshi_core, so the wheel carries it and no LMS image needs npm (ADR 0090).
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
export const OUT = join(here, "..", "static", "xueshi_core", "paragon");
export const FILES = ["core.min.css", "light.min.css"];

export function build() {
  const pkg = join(dirname(require.resolve("@openedx/paragon/package.json")));
  const { version } = JSON.parse(readFileSync(join(pkg, "package.json"), "utf8"));
  mkdirSync(OUT, { recursive: true });
  for (const name of FILES) copyFileSync(join(pkg, "dist", name), join(OUT, name));
  writeFileSync(join(OUT, "VERSION"), `${version}\n`);
  return version;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(`paragon ${build()} -> ${OUT}`);
}
