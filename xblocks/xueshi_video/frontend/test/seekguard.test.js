// Unit tests of the seek guard with a fake <video>: clamping, pull-back, creeping, rates.
import assert from "node:assert/strict";
import { test } from "node:test";

import { SeekGuard } from "../src/seekguard.js";

class FakeVideo {
  constructor() {
    this.listeners = {};
    this._time = 0;
    this.duration = 120;
    this.paused = false;
    this.seeking = false;
    this.playbackRate = 1;
    this.defaultPlaybackRate = 1;
  }
  addEventListener(name, fn) {
    (this.listeners[name] = this.listeners[name] || []).push(fn);
  }
  emit(name) {
    for (const fn of this.listeners[name] || []) fn();
  }
  get currentTime() {
    return this._time;
  }
  set currentTime(value) {
    this._time = value;
    this.emit("seeking");
    this.emit("seeked");
  }
  play(seconds) {
    // Advance as real playback does: timeupdate every 0.25 s.
    for (let t = 0; t < seconds; t += 0.25) {
      this._time += 0.25;
      this.emit("timeupdate");
    }
  }
}

function guarded(options = {}) {
  const video = new FakeVideo();
  const refused = [];
  const guard = new SeekGuard(video, {
    allowedRates: options.rates || [1],
    onRefusedSeek: (info) => refused.push(["seek", info]),
    onRefusedRate: (info) => refused.push(["rate", info]),
  });
  guard.attach();
  return { video, guard, refused };
}

test("played time extends the frontier; a seek beyond it is clamped and reported", () => {
  const { video, guard, refused } = guarded();
  video.play(10);
  assert.equal(guard.limit, 10);
  const result = guard.seek(60, "onSlideSeek");
  assert.equal(result.refused, true);
  assert.equal(video.currentTime, 10);
  assert.equal(refused[0][0], "seek");
});

test("a script setting currentTime far ahead is pulled back on seeking", () => {
  const { video, guard, refused } = guarded();
  video.play(5);
  video.currentTime = 9999;
  assert.equal(video.currentTime, 5);
  assert.equal(refused.length, 1);
  assert.equal(refused[0][1].type, "onScriptSeek");
  assert.equal(guard.limit, 5);
});

test("the server's frontier allows seeking up to it, and never shrinks", () => {
  const { video, guard } = guarded();
  guard.setServerFrontier(42);
  guard.setServerFrontier(3);
  guard.seek(40, "onKeySeek");
  assert.equal(video.currentTime, 40);
  assert.equal(guard.limit, 42);
});

test("small scripted steps past the frontier cannot creep it forward", () => {
  const { video, guard } = guarded();
  video.play(4);
  for (let i = 0; i < 20; i += 1) {
    video.currentTime = guard.limit + 0.7; // within the tolerance each time
    video.play(0.25);
  }
  assert.ok(guard.limit < 6, `limit crept to ${guard.limit}`);
});

test("a disallowed rate is undone; an allowed one is kept", () => {
  const { video, refused } = guarded({ rates: [1, 1.25] });
  video.playbackRate = 2;
  video.emit("ratechange");
  assert.equal(video.playbackRate, 1);
  assert.deepEqual(refused[0], ["rate", { attempted: 2, restored: 1 }]);
  video.playbackRate = 1.25;
  video.emit("ratechange");
  assert.equal(video.playbackRate, 1.25);
  assert.equal(refused.length, 1);
});

test("free seeking once unlocked", () => {
  const { video, guard } = guarded();
  guard.unlock();
  guard.seek(100, "onSlideSeek");
  assert.equal(video.currentTime, 100);
});

test("a checkpoint is a barrier: seeks stop there and reaching it is reported", () => {
  const video = new FakeVideo();
  const reached = [];
  const guard = new SeekGuard(video, { onBarrier: (at) => reached.push(at) });
  guard.attach();
  guard.setServerFrontier(100); // watched before the checkpoint was added
  guard.setBarrier(30);
  guard.seek(90, "onSlideSeek");
  assert.equal(video.currentTime, 30);
  assert.deepEqual(reached.slice(-1), [30]);
  video.currentTime = 80; // a script: pulled back to the barrier
  assert.equal(video.currentTime, 30);
  guard.setBarrier(Infinity);
  guard.seek(90, "onSlideSeek");
  assert.equal(video.currentTime, 90);
});

test("after a rewind, forward seeks stop at what was played again", () => {
  const video = new FakeVideo();
  const guard = new SeekGuard(video, {});
  guard.attach();
  guard.setServerFrontier(60);
  guard.setBarrier(60);
  guard.startRewatch(20);
  guard.seek(20, "onCheckpointRewind");
  video.play(5);
  assert.ok(Math.abs(guard.limit - 25) < 0.01);
  guard.seek(55, "onSlideSeek");
  assert.ok(Math.abs(video.currentTime - 25) < 0.01);
  guard.endRewatch();
  assert.equal(guard.limit, 60);
});
