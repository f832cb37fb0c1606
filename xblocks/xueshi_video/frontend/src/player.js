/**
 * Entry point of the learner's player: `window.XueshiVideoBlock(runtime, element, args)` as
 * the XBlock JS runtime calls it, and a boot for the block's standalone H5 page. It wires the
 * seek guard, controls, captions, the session/heartbeats, the idle challenge and tab courtesy.
 */
import { ChallengeModal } from "./challenge.js";
import { CheckpointGate } from "./checkpoint.js";
import { Controls } from "./controls.js";
import { EventReporter } from "./events.js";
import { HoldOverlay } from "./hold.js";
import { onH5Boot } from "./h5.js";
import { gettext, interpolate, minutes } from "./i18n.js";
import { resyncTarget } from "./resync.js";
import { SeekGuard } from "./seekguard.js";
import { Session } from "./session.js";
import { attachSource, switchSource } from "./source.js";
import { TabCourtesy } from "./tabs.js";
import { Transcript } from "./transcript.js";

const SYNC_EVERY_MS = 60000;

class Player {
  constructor(runtime, element, args, client) {
    this.args = args;
    this.root = element.querySelector(".xueshi-video");
    this.video = this.root.querySelector("video");
    this.stats = this.root.querySelector(".xv-stats");
    this.notice = this.root.querySelector(".xv-notice");
    this.overlay = this.root.querySelector(".xv-overlay");
    const url = (name) => runtime.handlerUrl(element, name);
    this.csrf = () => (runtime.csrfToken ? runtime.csrfToken() : "");
    this.rules = args.rules || {};
    this.completed = false;
    this.resumed = false;
    this.lastSync = 0;
    this.opening = null;
    this.guard = new SeekGuard(this.video, {
      allowedRates: this.rules.allowed_rates || [1],
      onRefusedSeek: (info) => this.refusedSeek(info),
      onRefusedRate: (info) => this.refusedRate(info),
      onBarrier: (at) => this.gate.reached(at),
    });
    this.session = new Session({
      urls: {
        open_session: url("open_session"),
        sync_progress: url("sync_progress"),
        checkpoint_question: url("checkpoint_question"),
        answer_checkpoint: url("answer_checkpoint"),
      },
      csrfToken: this.csrf,
      client,
      state: () => ({
        position: this.video.currentTime,
        playing: !this.video.paused && !this.video.ended,
        rate: this.video.playbackRate,
        visible: document.visibilityState === "visible",
      }),
      onReply: (reply, event, sent) => this.onReply(reply, sent),
      onFailure: () => this.say(gettext("Connection problem: study time is not being counted right now.")),
    });
    this.modal = new ChallengeModal(this.root);
    this.gate = new CheckpointGate({
      root: this.root,
      video: this.video,
      guard: this.guard,
      post: (name, body) => this.session.handler(name, body),
      beatNow: async (event) => ((await this.ensureSession()) ? this.session.beatNow(event) : null),
      resume: () => this.resume(),
      say: (message) => this.say(message),
    });
    this.hold = new HoldOverlay(this.root, { onCleared: () => this.holdCleared() });
    this.tabs = new TabCourtesy(() => this.pausedByOtherTab());
    this.controls = new Controls(this.root, this.video, this.guard, {
      onToggle: () => this.toggle(),
      onRate: (rate) => this.guard.setRate(rate),
      onCaptions: (on) => {
        this.transcript.setCaptions(on);
        this.events.emit(on ? "edx.video.closed_captions.shown" : "edx.video.closed_captions.hidden",
          { currentTime: this.video.currentTime });
      },
    });
    this.transcript = new Transcript(this.root, this.video, this.guard, {
      transcriptUrl: (lang) => `${url("transcript")}?lang=${encodeURIComponent(lang)}`,
      onShown: (open) => this.events.emit(open ? "show_transcript" : "hide_transcript",
        { currentTime: this.video.currentTime }),
      onRefused: (message) => this.say(message),
    });
    this.eventsUrl = url("track_event");
  }

  start() {
    const source = attachSource(this.video, this.args.sources);
    this.source = source;
    if (!source) {
      this.say(gettext("Your browser cannot play this video."));
      return;
    }
    this.events = new EventReporter(this.eventsUrl, this.csrf, source.kind);
    this.guard.attach();
    this.controls.attach(Number(this.args.duration) || 0);
    this.transcript.attach();
    this.listen();
    this.loadProgress();
  }

  listen() {
    const video = this.video;
    video.addEventListener("loadedmetadata", () => this.events.emit("load_video", {}), { once: true });
    video.addEventListener("play", () => this.onPlay());
    video.addEventListener("pause", () => {
      this.session.beat("pause");
      this.events.emit("pause_video", { currentTime: video.currentTime });
      this.sync(false);
    });
    video.addEventListener("seeked", () => {
      this.session.beat("seek");
      this.events.emit("seek_video", { old_time: this.guard.lastTime, new_time: video.currentTime,
        type: this.guard.seekType || "onSlideSeek" });
    });
    video.addEventListener("ended", () => {
      this.session.beat("ended");
      this.events.emit("stop_video", { currentTime: video.currentTime });
      this.sync(true);
    });
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") {
        if (!video.paused) {
          this.say(gettext("Paused because the page was hidden. Study time counts only while you watch."));
        }
        this.session.beat("hide", { visible: false });
        video.pause();
      } else {
        this.session.beat("show", { visible: true });
      }
    });
    window.addEventListener("pagehide", () => this.session.beacon("unload"));
  }

  async loadProgress() {
    try {
      const result = await this.session.progress();
      if (result.ok) {
        this.applyProgress(result.data);
      }
    } catch (error) {
      // The session grant carries the same numbers; the learner can still press play.
    }
    this.controls.setEnabled(true);
    this.root.dataset.state = "ready";
  }

  applyProgress(data) {
    this.guard.setServerFrontier(data.frontier);
    this.gate.load(data.checkpoints);
    this.setCompleted(Boolean(data.completed));
    this.showStats(data);
    const resume = Number(data.resume_position ?? data.last_position ?? 0);
    if (!this.resumed && resume > 0) {
      this.resumed = true;
      const seekTo = () => this.guard.seek(Math.min(resume, this.guard.limit), "onResume");
      if (this.video.readyState >= 1) {
        seekTo();
      } else {
        this.video.addEventListener("loadedmetadata", seekTo, { once: true });
      }
    }
  }

  showStats(data) {
    if (data.credited_today_seconds !== undefined) {
      this.creditedToday = data.credited_today_seconds;
    }
    const total = Number(data.duration || this.args.duration || 0);
    const format = this.creditedToday === undefined
      ? gettext("Watched {watched} of {total} minutes")
      : gettext("Watched {watched} of {total} minutes, credited today {today} minutes");
    this.stats.textContent = interpolate(format, {
      watched: minutes(data.watched_seconds), total: minutes(total), today: minutes(this.creditedToday),
    });
  }

  setCompleted(completed) {
    if (completed && !this.completed) {
      this.completed = true;
      this.root.dataset.completed = "true";
      if (this.rules.free_seek_after_complete) {
        this.guard.unlock();
      }
      this.events && this.events.emit("complete_video", { currentTime: this.video.currentTime });
    }
  }

  async ensureSession() {
    if (this.session.active) {
      return true;
    }
    if (!this.opening) {
      this.opening = this.session.open(() => !this.video.paused && document.visibilityState === "visible");
    }
    const result = await this.opening;
    this.opening = null;
    if (!result.ok) {
      this.stopped(result.data.message || gettext("Playback could not start. Please reload the page."), false);
      return false;
    }
    this.hideOverlay();
    const grant = result.data;
    // Play the media signed for this session; only its delivery earns credit (ADR 0053).
    this.source = await switchSource(this.video, this.source, grant.sources,
      (at) => this.guard.seek(Math.min(at, this.guard.limit), "onResume"));
    this.applyProgress(grant);
    if (grant.replaced_message) {
      this.say(grant.replaced_message);
    }
    return true;
  }

  get blocked() {
    return this.modal.open || this.gate.blocking || this.hold.open;
  }

  async toggle() {
    if (this.blocked) {
      return;
    }
    if (!this.video.paused && !this.video.ended) {
      this.video.pause();
      return;
    }
    this.controls.setEnabled(false);
    const ok = await this.ensureSession();
    this.controls.setEnabled(true);
    if (ok) {
      this.video.play().catch(() => this.say(gettext("Press play to start the video.")));
    }
  }

  onPlay() {
    if (!this.session.active || this.blocked) {
      // Started by something other than our button (native UI, console): go through a session.
      this.video.pause();
      if (!this.blocked) {
        this.toggle();
      }
      return;
    }
    this.say("");
    this.tabs.announcePlaying(this.args.block_id);
    this.session.beat("play");
    this.events.emit("play_video", { currentTime: this.video.currentTime });
  }

  onReply(reply, sent) {
    if (reply.httpStatus >= 400 && !("accepted" in reply)) {
      this.stopped(reply.message || gettext("This playback session has ended. Press play to continue."), true);
      return;
    }
    this.followServer(reply, sent);
    this.guard.setServerFrontier(reply.frontier);
    this.showStats({ ...reply, duration: this.session.grant && this.session.grant.duration });
    this.setCompleted(Boolean(reply.completed));
    if (reply.completed && !this.syncedCompletion) {
      this.syncedCompletion = true;
      this.sync(true);
    }
    if (reply.stop || reply.lease === "lost") {
      this.stopped(reply.message || gettext("Playback continued on another page or device, so it stopped here."), true);
      return;
    }
    if (this.onHoldReply(reply)) {
      return;
    }
    if ("checkpoint" in reply) {
      this.gate.applyBarrier(reply.checkpoint);
    }
    if (reply.challenge) {
      this.video.pause();
      this.modal.show(reply.challenge, (id, code) => this.session.answer(id, code));
    } else if (reply.message && reply.accepted === false) {
      this.say(reply.message);
    }
  }

  /** Move back to the position the ledger kept when it is behind the one this beat reported. */
  followServer(reply, sent) {
    const target = resyncTarget(sent && sent.position, reply);
    if (target === null || this.video.currentTime <= target) {
      return;
    }
    this.video.currentTime = target;
    this.say(gettext("Moved back to where the server last counted your study time."));
  }

  /** A hold (face check, sign-in...) stops credit: pause and show its page; true while held. */
  onHoldReply(reply) {
    if (reply.reason === "hold") {
      this.waitingForHold = false;
      if (!this.video.paused) {
        this.resumeAfterHold = true;
        this.video.pause();
      }
      this.hold.show(reply.holds || []);
      this.say(reply.message || "");
      return true;
    }
    if (this.hold.open && this.waitingForHold) {
      this.waitingForHold = false;
      this.hold.hide();
      if (this.resumeAfterHold) {
        this.resumeAfterHold = false;
        this.resume();
      }
    }
    return false;
  }

  /** The page in the hold overlay says it is done: beat now; the reply decides whether to resume. */
  holdCleared() {
    this.waitingForHold = true;
    this.resumeAfterHold = true;
    this.session.beatNow("show");
  }

  resume() {
    if (this.video.paused && !this.blocked) {
      this.toggle();
    }
  }

  stopped(message, canRetry) {
    this.session.close();
    this.video.pause();
    this.root.dataset.state = "stopped";
    this.overlay.querySelector(".xv-overlay-text").textContent = message;
    const action = this.overlay.querySelector(".xv-overlay-action");
    action.hidden = !canRetry;
    action.textContent = gettext("Study here instead");
    action.onclick = () => this.toggle();
    this.overlay.hidden = false;
  }

  hideOverlay() {
    this.overlay.hidden = true;
    this.root.dataset.state = "ready";
  }

  pausedByOtherTab() {
    if (!this.video.paused) {
      this.video.pause();
      this.say(gettext("Paused because a video started playing in another tab."));
    }
  }

  refusedSeek(info) {
    this.say(gettext("You can only skip to parts you have already watched."));
    this.session.beat("seek", { position: info.attempted });
  }

  refusedRate(info) {
    this.say(gettext("The playback speed of this video is fixed by the course."));
    this.session.beat("rate", { rate: info.attempted });
    this.events.emit("speed_change_video", { old_speed: info.restored, new_speed: info.attempted,
      currentTime: this.video.currentTime });
  }

  sync(force) {
    const now = Date.now();
    if (!force && now - this.lastSync < SYNC_EVERY_MS) {
      return;
    }
    this.lastSync = now;
    this.session.progress().then((result) => result.ok && this.setCompleted(Boolean(result.data.completed)))
      .catch(() => {});
  }

  say(message) {
    this.notice.textContent = message;
  }
}

function init(runtime, element, args, client) {
  const root = element.querySelector(".xueshi-video");
  if (!root || !root.querySelector("video") || root.dataset.initialized) {
    return null;
  }
  root.dataset.initialized = "true";
  const player = new Player(runtime, element, args || {}, client);
  player.start();
  element.xueshiPlayer = player; // for debugging and the browser tests
  return player;
}

window.XueshiVideoBlock = function XueshiVideoBlock(runtime, element, args) {
  init(runtime, element, args, "web");
};

onH5Boot((runtime, element, args) => init(runtime, element, args, "h5"));
