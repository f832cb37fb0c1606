/**
 * Quiz checkpoints in the player: stop at the next unanswered checkpoint (the seek guard's
 * barrier), ask the block for the question, send the answer, then apply what the server decided:
 * go on, try again, or go back and watch again (a new question follows a rewind). The server holds the schedule and enforces all
 * of it (no credit past an unpassed checkpoint); this keeps the page in step with it.
 */
import { gettext } from "./i18n.js";
import { QuizPanel } from "./quiz.js";

const SAME = 1e-3;

function attemptId() {
  if (window.crypto && window.crypto.randomUUID) {
    return window.crypto.randomUUID();
  }
  return `a${Date.now().toString(36)}${Math.random().toString(36).slice(2, 12)}`;
}

export class CheckpointGate {
  /**
   * @param options {root, video, guard, post(name, body) -> {ok, status, data}, beatNow(event) -> reply,
   *                 resume(), say(message)}
   */
  constructor({ root, video, guard, post, beatNow, resume, say }) {
    this.root = root;
    this.video = video;
    this.guard = guard;
    this.post = post;
    this.beatNow = beatNow;
    this.resume = resume;
    this.say = say;
    this.items = [];
    this.busy = false;
    this.panel = new QuizPanel(root, {
      submit: (payload) => this.answer(payload),
      onClose: (reply) => this.closed(reply),
    });
    this.current = null;
  }

  /** The blocking state: the player must not play while a checkpoint is open. */
  get blocking() {
    return this.busy || this.panel.open;
  }

  /** Take the learner's schedule ({items, barrier}) from the grant, progress or an answer. */
  load(summary) {
    if (!summary) {
      return;
    }
    this.items = (summary.items || []).slice().sort((a, b) => a.at - b.at);
    this.root.dataset.checkpoints = String(this.items.filter((item) => !item.over).length);
    this.applyBarrier(summary.barrier);
  }

  nextItem() {
    return this.items.find((item) => !item.over) || null;
  }

  /** The ledger's barrier state (grant, heartbeat reply, refusal): it is authoritative. */
  applyBarrier(barrier) {
    if (!barrier) {
      const next = this.nextItem();
      this.guard.setBarrier(next ? next.at : Infinity);
      return;
    }
    this.guard.setBarrier(barrier.next === null || barrier.next === undefined ? Infinity : barrier.next);
    if (barrier.rewatch_from !== null && barrier.rewatch_from !== undefined) {
      if (this.guard.rewatching) {
        this.guard.setRewatched(barrier.rewatched_to);
      } else {
        this.guard.startRewatch(barrier.rewatch_from, barrier.rewatched_to);
      }
    } else if (this.guard.rewatching && barrier.due !== null && barrier.due !== undefined) {
      this.guard.endRewatch();
    }
    if (barrier.due !== null && barrier.due !== undefined && !this.blocking) {
      this.reached(barrier.due);
    }
  }

  /** Playback (or a seek) reached the barrier at `at`: stop there and ask. */
  async reached(at) {
    if (this.blocking) {
      return;
    }
    const item = this.items.find((i) => !i.over && Math.abs(i.at - at) < SAME) || this.nextItem();
    if (!item) {
      this.guard.setBarrier(Infinity);
      return;
    }
    this.busy = true;
    if (this.video.currentTime > item.at) {
      this.video.currentTime = item.at;
    }
    if (!this.video.paused) {
      this.video.pause();
    }
    this.guard.endRewatch();
    this.current = { item, attempt: attemptId() };
    let result;
    try {
      result = await this.post("checkpoint_question", { checkpoint_id: item.id });
    } catch (error) {
      result = { ok: false, data: {} };
    }
    this.busy = false;
    if (!result.ok) {
      this.current = null;
      if (result.status === 409 && result.data.error === "checkpoint_passed") {
        item.over = true;
        this.applyBarrier(null);
      }
      this.say(result.data.message || gettext("The checkpoint could not be loaded. Press play to try again."));
      return;
    }
    this.panel.show(result.data);
  }

  /** Send the answer; a beat the server has not seen yet (checkpoint not reached) is sent first, once. */
  async answer(payload) {
    const current = this.current;
    const body = { checkpoint_id: current.item.id, attempt_id: current.attempt, ...payload };
    let result = await this.post("answer_checkpoint", body);
    if (result.status === 409 && result.data.error === "checkpoint_not_reached") {
      await this.beatNow("pause");
      result = await this.post("answer_checkpoint", body);
    }
    if (result.status === 409 && result.data.error === "already_answered" && result.data.result) {
      result = { ok: true, data: result.data.result };
    }
    const rewound = ["rewatch_required", "attempts_exhausted"];
    if (result.status === 409 && rewound.includes(result.data.error)) {
      this.panel.hide();
      this.closed({ outcome: "rewind", rewind_to: result.data.barrier.rewatched_to || result.data.barrier.rewatch_from,
        checkpoints: null, barrier: result.data.barrier });
      this.say(result.data.message);
      return null;
    }
    current.attempt = attemptId(); // the next submission is a new attempt
    if (!result.ok) {
      return { error: result.data.error || "failed", message: result.data.message };
    }
    if (result.data.checkpoints) {
      this.items = (result.data.checkpoints.items || []).slice().sort((a, b) => a.at - b.at);
    }
    return result.data;
  }

  /** The learner closed the panel after a final outcome: go on, or go back and watch again. */
  closed(reply) {
    const item = this.current && this.current.item;
    this.current = null;
    if (reply.outcome === "rewind") {
      const from = Number(reply.rewind_to) || 0;
      this.guard.startRewatch(from);
      if (reply.barrier) {
        this.guard.setRewatched(reply.barrier.rewatched_to);
      }
      this.guard.seek(Math.min(from, this.guard.limit), "onCheckpointRewind");
    } else if (item) {
      item.over = true; // passed, or recorded as failed under "record it and go on"
    }
    if (reply.checkpoints) {
      this.load(reply.checkpoints);
    } else {
      this.applyBarrier(null);
    }
    this.resume();
  }
}
