// Unit tests of the player's strings: the namespaced catalog, plurals, placeholders, spoken time.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { test } from "node:test";
import vm from "node:vm";

import { NAMESPACE, clock, gettext, interpolate, minutes, ngettext, spokenTime } from "../src/i18n.js";

// What `make translations` compiles from conf/locale/zh_CN/LC_MESSAGES/djangojs.po (ADR 0081).
const COMPILED = new URL("../../public/js/translations/zh_CN/text.js", import.meta.url);

/** Run the compiled catalog as the page does (a classic script), in a fresh global object. */
function pageWithCatalog() {
  const page = vm.createContext({});
  vm.runInContext(readFileSync(COMPILED, "utf-8"), page);
  return page;
}

test("English without a catalog", () => {
  globalThis.window = {};
  assert.equal(spokenTime(125), "2 minutes 5 seconds");
  assert.equal(ngettext("{count} answer", "{count} answers", 1), "{count} answer");
  assert.equal(ngettext("{count} answer", "{count} answers", 2), "{count} answers");
  delete globalThis.window;
});

test("the compiled zh_CN catalog: Chinese, one plural form, the page's own gettext untouched", {
  skip: !existsSync(COMPILED) && "not compiled: run make translations",
}, () => {
  const page = pageWithCatalog();
  assert.equal(typeof page.gettext, "undefined"); // the LMS's window.gettext is not replaced
  globalThis.window = page;
  try {
    assert.equal(NAMESPACE, "XueshiVideoI18N");
    assert.equal(gettext("Play"), "播放");
    assert.equal(spokenTime(125), "2分5秒");
    const many = "You have {count} answers at this question.";
    const one = "You have {count} answer at this question.";
    assert.equal(interpolate(ngettext(one, many, 1), { count: 1 }), "本题共有 1 次作答机会。");
    assert.equal(interpolate(ngettext(one, many, 3), { count: 3 }), "本题共有 3 次作答机会。");
    assert.equal(gettext("Not in the catalog"), "Not in the catalog");
  } finally {
    delete globalThis.window;
  }
});

test("clock, minutes and placeholders", () => {
  assert.equal(clock(65), "1:05");
  assert.equal(clock(3725), "1:02:05");
  assert.equal(minutes(90), "1.5");
  assert.equal(interpolate("{a} / {b} {c}", { a: 1, b: 2 }), "1 / 2 {c}");
});
