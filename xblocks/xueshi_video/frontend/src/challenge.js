/**
 * The anti-idle modal ("您还在学习吗？"). The server issues the challenge and stops crediting
 * until a person answers: the reply carries only an id and the URL of a picture of a short code,
 * so this shows the picture over the video, takes the digits typed and sends both. A late or
 * failed answer brings a new picture (the server replaces the code); crediting stays stopped.
 */
import { gettext, interpolate } from "./i18n.js";

/** The digits typed, without spaces; null when it is not `digits` digits (nothing is sent then). */
export function typedCode(text, digits) {
  const code = String(text || "").replace(/[\s\u3000]/g, "").replace(/[０-９]/g,
    (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  return new RegExp(`^[0-9]{${Number(digits) || 4}}$`).test(code) ? code : null;
}

/**
 * What to do with the server's answer reply: `done` closes the modal; `next` is a replacement
 * challenge to show; `message` explains a refusal.
 */
export function afterAnswer(reply) {
  if (reply && reply.httpStatus < 400 && reply.answered) {
    return { done: true, next: null, message: "" };
  }
  const error = reply && reply.error;
  const next = (reply && reply.challenge) || null;
  const messages = {
    challenge_wrong: gettext("That code is not right. Please look again."),
    challenge_failed: gettext("Too many wrong codes. Here is a new one."),
    challenge_late: gettext("The time for that code ran out. Here is a new one."),
    challenge_exhausted: gettext("Too many failed codes. Reload the page to continue studying."),
  };
  const message = messages[error] || gettext("That did not reach the server. Please try again.");
  return { done: false, next, message };
}

export class ChallengeModal {
  constructor(root) {
    this.root = root;
    this.modal = root.querySelector(".xv-modal");
    this.prompt = root.querySelector(".xv-modal-prompt");
    this.image = root.querySelector(".xv-modal-image");
    this.input = root.querySelector(".xv-modal-code");
    this.button = root.querySelector(".xv-modal-confirm");
    this.current = null;
    this.returnFocus = null;
  }

  get open() {
    return Boolean(this.current);
  }

  /** Show `challenge` ({id, prompt, image_url, digits}); `answer(id, code)` resolves to the reply. */
  show(challenge, answer) {
    if (!this.modal || (this.current && this.current.id === challenge.id)) {
      return;
    }
    if (!this.current) {
      this.returnFocus = document.activeElement;
    }
    this.current = challenge;
    this.prompt.textContent = challenge.prompt || "";
    if (this.image) {
      this.image.src = challenge.image_url || "";
    }
    if (this.input) {
      this.input.value = "";
      this.input.maxLength = Number(challenge.digits) || 4;
      this.input.onkeydown = (event) => event.key === "Enter" && this.button.click();
    }
    this.modal.hidden = false;
    this.button.disabled = false;
    this.button.onclick = () => this.submit(answer);
    (this.input || this.button).focus();
  }

  async submit(answer) {
    const challenge = this.current;
    const code = typedCode(this.input ? this.input.value : "", challenge.digits);
    if (code === null) {
      this.prompt.textContent = interpolate(gettext("Type the {digits} digits shown in the picture."),
        { digits: Number(challenge.digits) || 4 });
      return;
    }
    this.button.disabled = true;
    let reply = null;
    try {
      reply = await answer(challenge.id, code);
    } catch (error) {
      reply = null;
    }
    const step = afterAnswer(reply);
    if (step.done) {
      this.hide();
      return;
    }
    if (step.next) {
      this.show(step.next, answer);
    } else {
      this.button.disabled = false;
      if (this.input) {
        this.input.value = "";
        this.input.focus();
      }
    }
    this.prompt.textContent = step.message;
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
