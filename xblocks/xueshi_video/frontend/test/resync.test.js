import { test } from "node:test";
import assert from "node:assert/strict";

import { resyncTarget } from "../src/resync.js";

test("a clipped beat moves the player back to the kept position", () => {
  assert.equal(resyncTarget(212.4, { accepted: true, position: 205.1 }), 205.1);
});

test("a refused skip moves the player back too", () => {
  assert.equal(resyncTarget(300, { accepted: false, reason: "seek", position: 120 }), 120);
});

test("differences within the tolerance are left alone", () => {
  assert.equal(resyncTarget(212.4, { accepted: true, position: 212.4 }), null);
  assert.equal(resyncTarget(212.4, { accepted: true, position: 210.5 }), null);
});

test("the player never jumps forward on a reply", () => {
  assert.equal(resyncTarget(100, { accepted: true, position: 130 }), null);
});

test("errors, stops and malformed replies are not followed", () => {
  assert.equal(resyncTarget(100, { error: "session_unknown", httpStatus: 401 }), null);
  assert.equal(resyncTarget(100, { accepted: false, stop: true, position: 10 }), null);
  assert.equal(resyncTarget(100, { accepted: true, position: "x" }), null);
  assert.equal(resyncTarget(undefined, { accepted: true, position: 10 }), null);
  assert.equal(resyncTarget(100, null), null);
});
