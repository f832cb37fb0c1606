/**
 * The checkpoint panel: shows one question (single, multiple, true/false, fill in the blank) or a
 * knowledge-point card over the video, collects the answer and shows the server's verdict.
 * It knows nothing of the answer: the server judges, never sends the answer key, and sends the
 * explanation only after a right answer. Option letters are per learner (by shown position).
 */
import { clock, gettext, interpolate, ngettext } from "./i18n.js";

function el(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "text") {
      node.textContent = value;
    } else if (key === "className") {
      node.className = value;
    } else {
      node.setAttribute(key, value);
    }
  }
  for (const child of children) {
    node.append(child);
  }
  return node;
}

/** The hint under a question's stem, by question type (literal gettext calls, for extraction). */
function typeHint(type) {
  switch (type) {
    case "single":
      return gettext("Choose one answer.");
    case "multiple":
      return gettext("Choose all correct answers.");
    case "truefalse":
      return gettext("True or false?");
    case "blank":
      return gettext("Fill in the blanks.");
    default:
      return "";
  }
}

export class QuizPanel {
  /** `submit(payload)` resolves to the server's reply; `onClose(reply)` when the learner moves on. */
  constructor(root, { submit, onClose }) {
    this.root = root;
    this.submit = submit;
    this.onClose = onClose;
    this.panel = el("div", { className: "xv-quiz", role: "dialog", "aria-modal": "true", hidden: "" });
    (root.querySelector(".xv-stage") || root).append(this.panel);
    this.view = null;
  }

  get open() {
    return !this.panel.hidden;
  }

  /** Show a checkpoint view from the `checkpoint_question` handler. */
  show(view) {
    this.view = view;
    this.returnFocus = document.activeElement;
    this.panel.replaceChildren();
    const title = el("p", { className: "xv-quiz-title", id: `xv-quiz-${view.id}` });
    this.panel.setAttribute("aria-labelledby", title.id);
    const form = el("form", { className: "xv-quiz-form", novalidate: "" });
    if (view.kind === "card") {
      title.textContent = view.card.title || gettext("Knowledge point");
      form.append(el("p", { className: "xv-card-text", text: view.card.text }));
      if (view.card.image_url) {
        form.append(el("img", { className: "xv-card-image", src: view.card.image_url, alt: view.card.title || "" }));
      }
    } else {
      title.textContent = interpolate(gettext("Checkpoint at {time}"), { time: clock(view.at) });
      form.append(el("p", { className: "xv-quiz-stem", text: view.question.stem }));
      form.append(el("p", { className: "xv-quiz-hint", text: typeHint(view.question.type) }));
      if (view.policy === "retry" && view.max_attempts) {
        const limit = interpolate(
          ngettext("You have {count} answer at this question.", "You have {count} answers at this question.", view.max_attempts),
          { count: view.max_attempts },
        );
        form.append(el("p", { className: "xv-quiz-attempts", text: limit }));
      }
      form.append(this.inputs(view.question));
    }
    this.feedback = el("p", { className: "xv-quiz-feedback", role: "status", "aria-live": "polite" });
    this.button = el("button", { type: "submit", className: "xv-quiz-submit" });
    this.button.textContent = view.kind === "card" ? gettext("I have read it") : gettext("Submit answer");
    form.append(this.feedback, this.button);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.send();
    });
    this.form = form;
    this.panel.append(title, form);
    this.panel.hidden = false;
    const first = form.querySelector("input, button");
    if (first) {
      first.focus();
    }
  }

  inputs(question) {
    const list = el("div", { className: "xv-quiz-options" });
    if (question.type === "blank") {
      for (let i = 0; i < (question.blank_count || 1); i += 1) {
        const label = interpolate(gettext("Blank {number}"), { number: i + 1 });
        list.append(el("label", { className: "xv-quiz-blank" }, [
          el("span", { text: label }),
          el("input", { type: "text", name: "blank", maxlength: "200", autocomplete: "off" }),
        ]));
      }
      return list;
    }
    const kind = question.type === "multiple" ? "checkbox" : "radio";
    for (const option of question.options) {
      const prefix = question.type === "truefalse" ? "" : `${option.key}. `;
      list.append(el("label", { className: "xv-quiz-option" }, [
        el("input", { type: kind, name: "choice", value: option.key }),
        el("span", { text: prefix + option.text }),
      ]));
    }
    return list;
  }

  collect() {
    if (this.view.kind === "card") {
      return { acknowledged: true };
    }
    const type = this.view.question.type;
    if (type === "blank") {
      return { answer: Array.from(this.form.querySelectorAll("input[name=blank]")).map((i) => i.value.trim()) };
    }
    const chosen = Array.from(this.form.querySelectorAll("input[name=choice]:checked")).map((i) => i.value);
    if (type === "truefalse") {
      return chosen.length ? { answer: chosen[0] } : null;
    }
    return chosen.length ? { answer: type === "single" ? chosen[0] : chosen } : null;
  }

  async send() {
    const payload = this.collect();
    if (!payload || (payload.answer && Array.isArray(payload.answer) && payload.answer.some((a) => !a))) {
      this.feedback.textContent = gettext("Please answer first.");
      return;
    }
    this.button.disabled = true;
    let reply;
    try {
      reply = await this.submit(payload);
    } catch (error) {
      reply = null;
    }
    this.button.disabled = false;
    if (!reply) {
      this.feedback.textContent = gettext("That did not reach the server. Please try again.");
      return;
    }
    this.showResult(reply);
  }

  showResult(reply) {
    if (reply.error) {
      this.feedback.textContent = reply.message || gettext("That did not reach the server. Please try again.");
      return;
    }
    this.panel.dataset.outcome = reply.outcome;
    const lines = [];
    if (this.view.kind !== "card") {
      lines.push(reply.correct ? gettext("Correct.") : gettext("Not right."));
    }
    if (reply.explanation) {
      lines.push(reply.explanation);
    }
    if (reply.outcome === "continue" && !reply.correct) {
      lines.push(gettext("Recorded as not passed; the video goes on."));
    }
    if (reply.outcome === "retry") {
      lines.push(gettext("Try again."));
      lines.push(interpolate(gettext("Answers left at this question: {count}."), { count: reply.attempts_left }));
      for (const input of this.form.querySelectorAll("input")) {
        input.checked = false;
        if (input.type === "text") {
          input.value = "";
        }
      }
      this.feedback.textContent = lines.join(" ");
      return;
    }
    if (reply.outcome === "rewind") {
      lines.push(interpolate(gettext("Watch again from {time}, then answer a new question."), { time: clock(reply.rewind_to) }));
    }
    this.feedback.textContent = lines.join(" ");
    for (const input of this.form.querySelectorAll("input")) {
      input.disabled = true;
    }
    const next = el("button", { type: "button", className: "xv-quiz-continue" });
    next.textContent = reply.outcome === "rewind" ? gettext("Watch again") : gettext("Continue");
    next.addEventListener("click", () => {
      this.hide();
      this.onClose(reply);
    });
    this.button.replaceWith(next);
    next.focus();
  }

  hide() {
    this.panel.hidden = true;
    this.panel.replaceChildren();
    delete this.panel.dataset.outcome;
    this.view = null;
    if (this.returnFocus && this.returnFocus.focus) {
      this.returnFocus.focus();
    }
  }
}
