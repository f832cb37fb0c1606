// Unit tests of the player's strings: catalog lookup, placeholders, spoken time.
import assert from "node:assert/strict";
import { test } from "node:test";

import { clock, gettext, interpolate, minutes, spokenTime } from "../src/i18n.js";

test("English without a catalog, Chinese with one", () => {
  globalThis.window = {};
  assert.equal(spokenTime(125), "2 minutes 5 seconds");
  globalThis.window.XueshiVideoI18N = { "{minutes} minutes {seconds} seconds": "{minutes}分{seconds}秒" };
  assert.equal(spokenTime(125), "2分5秒");
  assert.equal(gettext("Unknown"), "Unknown");
  delete globalThis.window;
});

test("clock, minutes and placeholders", () => {
  assert.equal(clock(65), "1:05");
  assert.equal(clock(3725), "1:02:05");
  assert.equal(minutes(90), "1.5");
  assert.equal(interpolate("{a} / {b} {c}", { a: 1, b: 2 }), "1 / 2 {c}");
});
