import { test } from "node:test";
import assert from "node:assert/strict";

import { cueText } from "../src/transcript.js";

test("a cue that repeats its own start time shows it once (the line has the time already)", () => {
  assert.equal(cueText("[0:10] 请结合本单位实际认真学习。", 10), "请结合本单位实际认真学习。");
  assert.equal(cueText("(00:01:30) Relate it to your workplace.", 90.5), "Relate it to your workplace.");
  assert.equal(cueText("1:05 - Note", 65), "Note");
});

test("other text is kept: tags go, times that are not the cue's start stay", () => {
  assert.equal(cueText("<v Teacher>从 <b>0:30</b> 开始</v>", 10), "从 0:30 开始");
  assert.equal(cueText("[2:00] 见第二节", 10), "[2:00] 见第二节");
  assert.equal(cueText("", 0), "");
});
