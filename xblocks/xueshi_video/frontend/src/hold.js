/**
 * Study-time holds (a face check, a sign-in...): the ledger refuses credit with `reason: "hold"`
 * and names a page that lets the learner clear it. The player pauses and shows that page in an
 * iframe; the page posts `{type: "xueshi:hold-cleared", kind}` to its parent when done. Only a
 * message from that iframe and its origin counts; the player then beats again and resumes once
 * the ledger no longer holds.
 */
import { gettext } from "./i18n.js";

export class HoldOverlay {
  constructor(root, { onCleared }) {
    this.onCleared = onCleared;
    this.box = document.createElement("div");
    this.box.className = "xv-hold";
    this.box.hidden = true;
    this.box.setAttribute("role", "dialog");
    this.box.setAttribute("aria-modal", "true");
    const inner = document.createElement("div");
    inner.className = "xv-hold-box";
    this.title = document.createElement("p");
    this.title.className = "xv-hold-title";
    this.frame = document.createElement("iframe");
    this.frame.className = "xv-hold-frame";
    this.frame.setAttribute("allow", "camera; microphone");
    inner.append(this.title, this.frame);
    this.box.append(inner);
    root.append(this.box);
    this.hold = null;
    this.origin = "";
    window.addEventListener("message", (event) => this.onMessage(event));
  }

  get open() {
    return !this.box.hidden;
  }

  /** Show the first hold that names a page (`holds` from the heartbeat reply). */
  show(holds) {
    const hold = (holds || []).find((h) => h && h.url) || (holds || [])[0] || { kind: "", url: "" };
    if (this.open && this.hold && this.hold.kind === hold.kind && this.hold.url === hold.url) {
      return;
    }
    this.hold = hold;
    this.title.textContent = gettext("Study time is paused. Complete the step below to continue.");
    if (hold.url) {
      const url = new URL(hold.url, window.location.href);
      this.origin = url.origin;
      this.frame.hidden = false;
      this.frame.src = url.href;
    } else {
      this.origin = "";
      this.frame.hidden = true;
    }
    this.box.hidden = false;
  }

  hide() {
    this.box.hidden = true;
    this.frame.removeAttribute("src");
    this.hold = null;
  }

  onMessage(event) {
    const data = event.data;
    if (!this.open || !data || data.type !== "xueshi:hold-cleared") {
      return;
    }
    if (event.origin !== this.origin || event.source !== this.frame.contentWindow) {
      return; // another window cannot clear a hold
    }
    this.onCleared(data.kind || (this.hold && this.hold.kind) || "");
  }
}
