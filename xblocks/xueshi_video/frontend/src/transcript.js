/**
 * Captions and the transcript panel, from the <track> elements (WebVTT). Captions stay
 * available in guarded mode; a transcript click is a seek like any other and obeys the
 * frontier (haxtheweb #667: a clickable transcript is otherwise a skip path).
 */
import { clock, gettext } from "./i18n.js";

/** A time written at the start of a cue's text: "[0:10]", "(00:00:10)", "0:10 -", "00:10.000". */
const LEADING_TIME = /^\s*[[(]?\s*(?:(\d{1,2}):)?(\d{1,2}):(\d{2})(?:[.,]\d{1,3})?\s*[\])]?\s*[-–—:：]?\s*/;

/**
 * The text of a transcript line: tags removed, and a time the cue's text repeats at its start
 * dropped when it is the cue's own start (the line shows that time already). Captions made by
 * tools that stamp each line showed "0:10 [0:10] ..." (issue 16); other text is left alone.
 */
export function cueText(text, startTime) {
  const plain = String(text || "").replace(/<[^>]+>/g, "").trim();
  const match = LEADING_TIME.exec(plain);
  if (!match) {
    return plain;
  }
  const seconds = Number(match[1] || 0) * 3600 + Number(match[2]) * 60 + Number(match[3]);
  return Math.abs(seconds - Math.floor(startTime)) <= 1 ? plain.slice(match[0].length) : plain;
}

export class Transcript {
  constructor(root, video, guard, { transcriptUrl, onShown, onRefused }) {
    this.root = root;
    this.video = video;
    this.guard = guard;
    this.panel = root.querySelector(".xv-transcript");
    this.list = root.querySelector(".xv-cues");
    this.toggle = root.querySelector(".xv-transcript-toggle");
    this.download = root.querySelector(".xv-download");
    this.transcriptUrl = transcriptUrl;
    this.onShown = onShown;
    this.onRefused = onRefused;
    this.track = null;
    this.items = [];
  }

  attach() {
    const tracks = Array.from(this.video.textTracks || []);
    this.track = tracks.find((t) => t.kind === "captions" || t.kind === "subtitles") || null;
    if (!this.track) {
      return;
    }
    this.setCaptions(true);
    this.track.addEventListener("cuechange", () => this.highlight());
    const element = this.video.querySelector(`track[srclang="${this.track.language}"]`);
    if (element) {
      element.addEventListener("load", () => this.build());
    }
    this.build();
    if (this.toggle) {
      this.toggle.addEventListener("click", () => this.setOpen(this.panel.hidden));
    }
    if (this.download) {
      this.download.href = this.transcriptUrl(this.track.language);
    }
  }

  /** Captions on shows them over the video; off keeps cues loaded for the transcript. */
  setCaptions(on) {
    if (this.track) {
      this.track.mode = on ? "showing" : "hidden";
    }
  }

  setOpen(open) {
    this.panel.hidden = !open;
    this.toggle.setAttribute("aria-expanded", String(open));
    this.onShown(open);
    if (open) {
      this.build();
    }
  }

  build() {
    const cues = this.track && this.track.cues ? Array.from(this.track.cues) : [];
    if (!cues.length || cues.length === this.items.length) {
      return;
    }
    this.list.textContent = "";
    this.items = cues.map((cue) => {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "xv-cue";
      button.dataset.start = String(cue.startTime);
      const time = document.createElement("span");
      time.className = "xv-cue-time";
      time.textContent = clock(cue.startTime);
      button.append(time, " ", cueText(cue.text, cue.startTime));
      button.addEventListener("click", () => this.jump(cue.startTime));
      item.append(button);
      this.list.append(item);
      return { cue, item };
    });
  }

  jump(seconds) {
    const result = this.guard.seek(seconds, "onTranscriptSeek");
    if (result.refused) {
      this.onRefused(gettext("You can only jump to parts you have already watched."));
    }
  }

  highlight() {
    const active = new Set(Array.from(this.track.activeCues || []));
    for (const { cue, item } of this.items) {
      item.classList.toggle("xv-active", active.has(cue));
    }
  }
}
