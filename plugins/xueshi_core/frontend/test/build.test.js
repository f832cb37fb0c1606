import assert from "node:assert/strict";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { build, FILES, OUT } from "../build.mjs";

test("the build copies Paragon's core and light CSS with the locked version", () => {
  const version = build();
  const lock = JSON.parse(readFileSync(new URL("../package-lock.json", import.meta.url), "utf8"));
  assert.equal(version, lock.packages["node_modules/@openedx/paragon"].version);
  for (const name of FILES) assert.ok(statSync(join(OUT, name)).size > 10000, name);
  assert.match(readFileSync(join(OUT, "core.min.css"), "utf8"), /\.btn-primary/);
  assert.match(readFileSync(join(OUT, "light.min.css"), "utf8"), /--pgn-color-primary/);
});
