/**
 * The anti-idle modal ("您还在学习吗？"). The server issues the challenge and stops crediting
 * until the answer comes back; this only pauses, asks, and sends the confirmation.
 */
import { gettext } from "./i18n.js";

export class ChallengeModal {
  constructor(root) {
    this.root = root;
    this.modal = root.querySelector(".xv-modal");
    this.prompt = root.querySelector(".xv-modal-prompt");
    this.button = root.querySelector(".xv-modal-confirm");
    this.current = null;
    this.returnFocus = null;
  }

  get open() {
    return Boolean(this.current);
  }

  /** Show `challenge` ({id, prompt}); `answer(id)` resolves true when the server accepted it. */
  show(challenge, answer) {
    if (!this.modal || (this.current && this.current.id === challenge.id)) {
      return;
    }
    this.current = challenge;
    this.prompt.textContent = challenge.prompt || "";
    this.modal.hidden = false;
    this.returnFocus = document.activeElement;
    this.button.disabled = false;
    this.button.onclick = async () => {
      this.button.disabled = true;
      let ok = false;
      try {
        ok = await answer(challenge.id);
      } catch (error) {
        ok = false;
      }
      if (ok) {
        this.hide();
      } else {
        this.prompt.textContent = gettext("That did not reach the server. Please try again.");
        this.button.disabled = false;
      }
    };
    this.button.focus();
  }

  hide() {
    this.current = null;
    if (this.modal) {
      this.modal.hidden = true;
    }
    if (this.returnFocus && this.returnFocus.focus) {
      this.returnFocus.focus();
    }
  }
}
