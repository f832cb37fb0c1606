/**
 * Our own accessible controls (the <video> has no native ones): play/pause, an ARIA slider
 * whose moves go through the seek guard, keyboard (Space toggles, arrows ±5 s clamped,
 * Home/End), a rate menu limited to the author's rates, captions on/off and full screen.
 */
import { clock, gettext, spokenTime } from "./i18n.js";

const KEY_STEP = 5;

export class Controls {
  constructor(root, video, guard, { onToggle, onRate, onCaptions }) {
    this.root = root;
    this.video = video;
    this.guard = guard;
    this.onToggle = onToggle;
    this.onRate = onRate;
    this.onCaptions = onCaptions;
    this.play = root.querySelector(".xv-play");
    this.bigPlay = root.querySelector(".xv-bigplay");
    this.slider = root.querySelector(".xv-slider");
    this.watched = root.querySelector(".xv-watched");
    this.played = root.querySelector(".xv-played");
    this.thumb = root.querySelector(".xv-thumb");
    this.time = root.querySelector(".xv-time");
    this.rate = root.querySelector(".xv-rate");
    this.cc = root.querySelector(".xv-cc");
    this.fullscreen = root.querySelector(".xv-fullscreen");
    this.duration = 0;
    this.dragging = false;
  }

  attach(duration) {
    this.duration = duration;
    const video = this.video;
    for (const button of [this.play, this.bigPlay]) {
      button && button.addEventListener("click", () => this.onToggle());
    }
    video.addEventListener("click", () => this.onToggle());
    for (const name of ["play", "pause", "ended", "timeupdate", "loadedmetadata", "durationchange", "seeked"]) {
      video.addEventListener(name, () => this.render());
    }
    this.slider.addEventListener("pointerdown", (event) => this.startDrag(event));
    this.slider.addEventListener("pointermove", (event) => this.dragging && this.seekToPointer(event));
    this.slider.addEventListener("pointerup", (event) => this.endDrag(event));
    this.slider.addEventListener("pointercancel", (event) => this.endDrag(event));
    this.root.addEventListener("keydown", (event) => this.onKey(event));
    if (this.rate) {
      this.rate.addEventListener("change", () => this.onRate(Number(this.rate.value)));
    }
    if (this.cc) {
      this.cc.addEventListener("click", () => {
        const on = this.cc.getAttribute("aria-pressed") !== "true";
        this.cc.setAttribute("aria-pressed", String(on));
        this.onCaptions(on);
      });
    }
    if (this.fullscreen) {
      this.fullscreen.addEventListener("click", () => this.toggleFullscreen());
    }
    this.render();
  }

  setEnabled(enabled) {
    this.play.disabled = !enabled;
    if (this.bigPlay) {
      this.bigPlay.disabled = !enabled;
    }
  }

  length() {
    const media = this.video.duration;
    return Number.isFinite(media) && media > 0 ? media : this.duration;
  }

  fraction(seconds) {
    const length = this.length();
    return length > 0 ? Math.max(0, Math.min(1, seconds / length)) : 0;
  }

  render() {
    const video = this.video;
    const now = video.currentTime || 0;
    const length = this.length();
    const playing = !video.paused && !video.ended;
    this.root.dataset.playing = String(playing);
    const label = playing ? gettext("Pause") : gettext("Play");
    this.play.setAttribute("aria-label", label);
    this.play.querySelector(".xv-icon").textContent = playing ? "❚❚" : "▶";
    if (this.bigPlay) {
      this.bigPlay.hidden = playing;
      this.bigPlay.setAttribute("aria-label", label);
    }
    this.slider.setAttribute("aria-valuemax", String(Math.round(length)));
    this.slider.setAttribute("aria-valuenow", String(Math.round(now)));
    this.slider.setAttribute("aria-valuetext", spokenTime(now));
    this.played.style.width = `${this.fraction(now) * 100}%`;
    this.thumb.style.left = `${this.fraction(now) * 100}%`;
    this.watched.style.width = `${this.fraction(Math.min(this.guard.limit, length)) * 100}%`;
    this.time.textContent = `${clock(now)} / ${clock(length)}`;
  }

  startDrag(event) {
    if (event.button !== undefined && event.button !== 0) {
      return;
    }
    this.dragging = true;
    this.slider.setPointerCapture && this.slider.setPointerCapture(event.pointerId);
    this.seekToPointer(event);
  }

  endDrag(event) {
    if (this.dragging) {
      this.seekToPointer(event);
    }
    this.dragging = false;
  }

  seekToPointer(event) {
    const box = this.slider.getBoundingClientRect();
    if (!box.width) {
      return;
    }
    const ratio = Math.max(0, Math.min(1, (event.clientX - box.left) / box.width));
    this.guard.seek(ratio * this.length(), "onSlideSeek");
    this.render();
  }

  onKey(event) {
    const target = event.target;
    const tag = (target.tagName || "").toLowerCase();
    if (tag === "select" || tag === "a" || target.closest(".xv-modal, .xv-transcript")) {
      return;
    }
    const onButton = tag === "button";
    const now = this.video.currentTime || 0;
    let handled = true;
    if ((event.key === " " || event.key === "Spacebar" || event.key === "k") && !onButton) {
      this.onToggle();
    } else if (event.key === "ArrowRight" || event.key === "ArrowUp") {
      this.guard.seek(now + KEY_STEP, "onKeySeek");
    } else if (event.key === "ArrowLeft" || event.key === "ArrowDown") {
      this.guard.seek(now - KEY_STEP, "onKeySeek");
    } else if (event.key === "Home" && target === this.slider) {
      this.guard.seek(0, "onKeySeek");
    } else if (event.key === "End" && target === this.slider) {
      this.guard.seek(this.guard.limit, "onKeySeek");
    } else {
      handled = false;
    }
    if (handled) {
      event.preventDefault();
      this.render();
    }
  }

  toggleFullscreen() {
    const stage = this.root;
    if (document.fullscreenElement) {
      document.exitFullscreen().catch(() => {});
    } else if (stage.requestFullscreen) {
      stage.requestFullscreen().catch(() => {});
    } else if (this.video.webkitEnterFullscreen) {
      this.video.webkitEnterFullscreen(); // iPhone: only the video element can go full screen
    }
  }
}
