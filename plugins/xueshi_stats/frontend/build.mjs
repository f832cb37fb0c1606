// Copies Apache ECharts' minified "common" build (bar, line, tooltip, legend, grid) from the locked
// npm package into the Django static folder of xueshi_stats, so the wheel carries it and no LMS
// image needs npm (ADR 0155, as Paragon's CSS in xueshi_core: ADR 0090).
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
export const OUT = join(here, "..", "static", "xueshi_stats", "echarts");
export const FILE = "echarts.common.min.js";

export function build() {
  const pkg = dirname(require.resolve("echarts/package.json"));
  const { version } = JSON.parse(readFileSync(join(pkg, "package.json"), "utf8"));
  mkdirSync(OUT, { recursive: true });
  copyFileSync(join(pkg, "dist", FILE), join(OUT, FILE));
  writeFileSync(join(OUT, "VERSION"), `${version}\n`);
  return version;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(`echarts ${build()} -> ${OUT}`);
}
