/**
 * Keep the <video> within the rules the server enforces anyway, so honest learners get
 * immediate feedback instead of silently uncredited time:
 *
 * - forward seeking is clamped to the furthest point watched (the server's frontier, or what
 *   was played contiguously in this page), whatever moved the playhead: our slider, keys,
 *   transcript clicks, native controls or `video.currentTime = 9999` typed into the console
 *   (caught on `seeking` and pulled back);
 * - `playbackRate` is held to the allowed rates (a `ratechange` to another rate is undone);
 * - nothing passes the next unanswered quiz checkpoint (the *barrier*), and after a wrong answer
 *   that rewinds, forward seeks stop at what has been played again since the rewind.
 *
 * None of this is trusted: the ledger credits only what its own clock and frontier allow.
 */

const SEEK_TOLERANCE = 0.75; // seconds past the frontier still accepted (frame/keyframe slack)
const MAX_PLAY_STEP = 1.5; // seconds between two timeupdates that still count as playing on
const BARRIER_LEAD = 0.05; // seconds before a checkpoint at which playback counts as having reached it

export class SeekGuard {
  constructor(video, {
    allowedRates = [1], onRefusedSeek = () => {}, onRefusedRate = () => {}, onBarrier = () => {},
  } = {}) {
    this.video = video;
    this.allowedRates = allowedRates.map(Number);
    this.onRefusedSeek = onRefusedSeek;
    this.onRefusedRate = onRefusedRate;
    this.onBarrier = onBarrier;
    this.serverFrontier = 0;
    this.localFrontier = 0;
    this.unlocked = false;
    this.barrier = Infinity;
    this.rewatchTo = Infinity;
    this.lastTime = 0;
    this.lastRate = this.allowedRates.includes(1) ? 1 : this.allowedRates[0] || 1;
    this.seekType = null;
  }

  /** The furthest position the learner may move to now. */
  get limit() {
    const watched = this.unlocked ? Infinity : Math.max(this.serverFrontier, this.localFrontier);
    return Math.min(watched, this.barrier, this.rewatchTo);
  }

  /** The next unanswered checkpoint (Infinity: none); playback and seeks stop there. */
  setBarrier(seconds) {
    const value = Number(seconds);
    this.barrier = Number.isFinite(value) && value >= 0 ? value : Infinity;
  }

  /** After a wrong answer: forward seeks stop at what is played again from `from` on. */
  startRewatch(from, playedTo) {
    const start = Math.max(0, Number(from) || 0);
    this.rewatchTo = Math.max(start, Number(playedTo) || 0);
  }

  /** The server's view of the re-watch (it only grows). */
  setRewatched(seconds) {
    const value = Number(seconds);
    if (Number.isFinite(this.rewatchTo) && Number.isFinite(value) && value > this.rewatchTo) {
      this.rewatchTo = value;
    }
  }

  endRewatch() {
    this.rewatchTo = Infinity;
  }

  get rewatching() {
    return Number.isFinite(this.rewatchTo);
  }

  /** Take the server's frontier (it only ever grows). */
  setServerFrontier(seconds) {
    const value = Number(seconds);
    if (Number.isFinite(value) && value > this.serverFrontier) {
      this.serverFrontier = value;
    }
  }

  /** Free seeking (author allowed it once the server says the video is completed). */
  unlock() {
    this.unlocked = true;
  }

  /** Clamp a wanted position to [0, limit] and the media's duration. */
  clamp(seconds) {
    const duration = Number.isFinite(this.video.duration) ? this.video.duration : Infinity;
    return Math.max(0, Math.min(seconds, this.limit, duration));
  }

  /**
   * Seek on the learner's behalf. `type` is the Open edX seek type (onSlideSeek, onKeySeek,
   * onTranscriptSeek). Returns {from, to, refused}.
   */
  seek(seconds, type) {
    const from = this.video.currentTime;
    const to = this.clamp(seconds);
    const refused = seconds > this.limit + SEEK_TOLERANCE;
    this.seekType = type;
    this.video.currentTime = to;
    if (refused) {
      this.onRefusedSeek({ from, attempted: seconds, to, type });
    }
    return { from, to, refused };
  }

  attach() {
    const video = this.video;
    video.disablePictureInPicture = true;
    video.addEventListener("timeupdate", () => this.onTimeUpdate());
    video.addEventListener("seeking", () => this.onSeeking());
    video.addEventListener("seeked", () => {
      this.lastTime = video.currentTime;
      this.seekType = null;
      this.checkBarrier();
    });
    video.addEventListener("ratechange", () => this.onRateChange());
    // Picture-in-picture would keep playing outside the page's visibility rules.
    video.addEventListener("enterpictureinpicture", () => {
      if (document.pictureInPictureElement && document.exitPictureInPicture) {
        document.exitPictureInPicture().catch(() => {});
      }
    });
  }

  /** At (or past) the next checkpoint: tell the player, which pauses there and asks. */
  checkBarrier() {
    if (Number.isFinite(this.barrier) && this.video.currentTime >= this.barrier - BARRIER_LEAD) {
      this.onBarrier(this.barrier);
      return true;
    }
    return false;
  }

  onTimeUpdate() {
    const video = this.video;
    const now = video.currentTime;
    if (!video.seeking && this.checkBarrier()) {
      this.localFrontier = Math.max(this.localFrontier, Math.min(this.barrier, this.lastTime + MAX_PLAY_STEP));
      this.lastTime = Math.min(now, this.barrier);
      return;
    }
    if (!video.seeking && now > this.limit + SEEK_TOLERANCE) {
      this.pullBack(now, "onScriptSeek");
      return;
    }
    const step = now - this.lastTime;
    const maxStep = MAX_PLAY_STEP * Math.max(1, video.playbackRate || 1);
    // Only playback that starts inside the allowed region extends it: a small scripted seek
    // just past the frontier (within the tolerance) must not become a foothold to creep on.
    const fromInside = this.lastTime <= this.limit + 0.01;
    if (!video.seeking && !video.paused && fromInside && step > 0 && step <= maxStep) {
      const reached = Math.min(now, this.barrier);
      this.localFrontier = Math.max(this.localFrontier, reached);
      if (this.rewatching) {
        this.rewatchTo = Math.max(this.rewatchTo, reached);
      }
    }
    this.lastTime = now;
  }

  onSeeking() {
    const now = this.video.currentTime;
    if (now > this.limit + SEEK_TOLERANCE) {
      this.pullBack(now, this.seekType || "onScriptSeek");
    }
  }

  pullBack(attempted, type) {
    const from = Math.min(this.lastTime, this.limit);
    const to = this.clamp(attempted);
    this.video.currentTime = to; // fires `seeking` again, now inside the limit
    this.lastTime = to;
    this.onRefusedSeek({ from, attempted, to, type });
  }

  onRateChange() {
    const video = this.video;
    const rate = Number(video.playbackRate);
    if (this.allowedRates.some((allowed) => Math.abs(allowed - rate) < 1e-6)) {
      this.lastRate = rate;
      return;
    }
    video.playbackRate = this.lastRate;
    video.defaultPlaybackRate = this.lastRate;
    this.onRefusedRate({ attempted: rate, restored: this.lastRate });
  }

  /** Change the rate from our own menu (only allowed values get here). */
  setRate(rate) {
    const value = Number(rate);
    if (this.allowedRates.includes(value)) {
      this.lastRate = value;
      this.video.playbackRate = value;
    }
  }
}
