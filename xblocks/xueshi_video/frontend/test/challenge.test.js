// Unit tests of the anti-idle prompt's logic: what is sent, and what a reply leads to.
import assert from "node:assert/strict";
import { test } from "node:test";

import { afterAnswer, typedCode } from "../src/challenge.js";

test("only the expected number of digits is sent, full-width digits and spaces forgiven", () => {
  assert.equal(typedCode(" 4807 ", 4), "4807");
  assert.equal(typedCode("４８０７", 4), "4807");
  assert.equal(typedCode("48 07", 4), "4807");
  assert.equal(typedCode("480", 4), null);
  assert.equal(typedCode("48a7", 4), null);
  assert.equal(typedCode("", 4), null);
  assert.equal(typedCode(undefined, 4), null);
});

test("an accepted answer closes the prompt", () => {
  assert.deepEqual(afterAnswer({ answered: true, httpStatus: 200 }), { done: true, next: null, message: "" });
});

test("a wrong code keeps the prompt open on the same picture", () => {
  const step = afterAnswer({ error: "challenge_wrong", httpStatus: 400 });
  assert.equal(step.done, false);
  assert.equal(step.next, null);
  assert.match(step.message, /not right/);
});

test("a late or failed answer shows the replacement challenge", () => {
  const next = { id: "b", image_url: "/img/b", digits: 4 };
  for (const error of ["challenge_late", "challenge_failed"]) {
    const step = afterAnswer({ error, challenge: next, httpStatus: 400 });
    assert.equal(step.done, false);
    assert.deepEqual(step.next, next);
    assert.ok(step.message);
  }
});

test("network failures and malformed replies never close the prompt", () => {
  for (const reply of [null, {}, { answered: true, httpStatus: 500 }, { httpStatus: 400 }]) {
    assert.equal(afterAnswer(reply).done, false);
  }
});
