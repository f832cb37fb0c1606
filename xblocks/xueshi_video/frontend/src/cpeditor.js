/**
 * The checkpoint part of the Studio editor: a list of fixed checkpoints (time, kind, policy,
 * question / bank tags / card) with "add checkpoint here" at the preview's current time, and the
 * random-checkpoint settings. It only collects what the author typed: the block validates it all
 * (and versions in-block questions in the bank) when the form is saved.
 */
import { clock, gettext, interpolate } from "./i18n.js";

// Choice lists are functions so that each label is a literal gettext() call (extracted into
// djangojs.po) evaluated after the catalog has loaded.
const KINDS = () => [
  ["question", gettext("A question written here")],
  ["bank", gettext("A question drawn from the bank")],
  ["card", gettext("A knowledge-point card")],
];
const POLICIES = () => [
  ["retry", gettext("Try again")],
  ["rewind", gettext("Rewind and watch again")],
  ["continue", gettext("Record it and go on")],
];
const TYPES = () => [
  ["single", gettext("Single choice")],
  ["multiple", gettext("Multiple choice")],
  ["truefalse", gettext("True or false")],
  ["blank", gettext("Fill in the blank")],
];
const DIFFICULTIES = () => [["", gettext("Any difficulty")], ["1", gettext("Easy")], ["2", gettext("Medium")], ["3", gettext("Hard")]];
const TRUTH = () => [["true", gettext("True")], ["false", gettext("False")]];

function node(tag, attrs = {}, children = []) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "text") {
      el.textContent = value;
    } else if (key === "className") {
      el.className = value;
    } else if (value !== null && value !== undefined && value !== false) {
      el.setAttribute(key, value === true ? "" : value);
    }
  }
  el.append(...children);
  return el;
}

function select(key, choices, value) {
  const el = node("select", { "data-k": key });
  for (const [choice, label] of choices) {
    el.append(node("option", { value: choice, text: label, selected: String(value) === choice }));
  }
  return el;
}

function field(label, control, className = "") {
  return node("label", { className: `xvs-cp-field ${className}`.trim() }, [node("span", { text: label }), control]);
}

function input(key, value, attrs = {}) {
  return node("input", { "data-k": key, type: "text", value: value === null || value === undefined ? "" : String(value), ...attrs });
}

function textarea(key, value, rows = 2) {
  const el = node("textarea", { "data-k": key, rows: String(rows), spellcheck: "false" });
  el.value = value || "";
  return el;
}

function tagFields(tags = {}) {
  return node("div", { className: "xvs-cp-tags" }, [
    field(gettext("Trade"), input("trade", tags.trade)),
    field(gettext("Knowledge point"), input("knowledge_point", tags.knowledge_point)),
    field(gettext("Difficulty"), select("difficulty", DIFFICULTIES(), tags.difficulty || "")),
  ]);
}

/** Answers a learner gets at one question under "try again" before a rewind and a new question. */
function attemptsField(value) {
  return field(gettext("Answers allowed at one question (then rewind and a new question)"),
    input("max_attempts", value || 3, { type: "number", min: "1", max: "10", step: "1" }), "xvs-cp-attempts");
}

function readTags(box) {
  const get = (key) => box.querySelector(`[data-k=${key}]`).value.trim();
  const tags = { trade: get("trade"), knowledge_point: get("knowledge_point") };
  const difficulty = get("difficulty");
  if (difficulty) {
    tags.difficulty = Number(difficulty);
  }
  return tags;
}

export class CheckpointEditor {
  constructor(form, video, { checkpoints = [], random = {} } = {}) {
    this.form = form;
    this.video = video;
    this.list = form.querySelector(".xvs-cp-list");
    for (const entry of checkpoints) {
      this.list.append(this.row(entry));
    }
    form.querySelector(".xvs-cp-add").addEventListener("click", () => this.addHere());
    this.random = form.querySelector(".xvs-cp-random");
    this.random.append(
      field(gettext("Number of random checkpoints"), input("count", random.count || 0, { type: "number", min: "0", max: "20", step: "1" })),
      tagFields(random.tags || {}),
      field(gettext("After a wrong answer"), select("policy", POLICIES(), random.policy || "retry")),
      attemptsField(random.max_attempts),
    );
    this.renumber();
  }

  /** Pause the preview and add a checkpoint at its current time. */
  addHere() {
    if (!this.video.paused) {
      this.video.pause();
    }
    const at = Math.round((this.video.currentTime || 0) * 10) / 10;
    const row = this.row({ at, kind: "question", policy: "retry", question: { type: "single" } });
    const after = Array.from(this.list.children).find((li) => Number(li.querySelector("[data-k=at]").value) > at);
    this.list.insertBefore(row, after || null);
    this.renumber();
    row.querySelector("[data-k=stem]").focus();
  }

  renumber() {
    Array.from(this.list.children).forEach((li, index) => {
      li.querySelector(".xvs-cp-number").textContent = interpolate(gettext("Checkpoint {number}"), { number: index + 1 });
    });
    this.form.dataset.checkpoints = String(this.list.children.length);
  }

  row(entry) {
    const question = entry.question || {};
    const card = entry.card || {};
    const options = (question.options || []).map((o) => (typeof o === "string" ? o : o.text)).join("\n");
    const answer = Array.isArray(question.answer) ? question.answer.join("") : question.answer || "";
    const blanks = (question.blanks || []).map((b) => (Array.isArray(b) ? b.join(" | ") : b)).join("\n");
    const at = input("at", entry.at, { type: "number", min: "0", step: "0.1" });
    const shown = node("span", { className: "xvs-cp-clock", text: clock(entry.at) });
    at.addEventListener("input", () => { shown.textContent = clock(Number(at.value)); });
    const remove = node("button", { type: "button", className: "xvs-cp-delete", text: gettext("Delete") });
    const li = node("li", { className: "xvs-cp", "data-id": entry.id || "" }, [
      node("div", { className: "xvs-cp-head" }, [node("strong", { className: "xvs-cp-number" }),
        field(gettext("Time (seconds)"), at), shown, remove]),
      field(gettext("Kind"), select("kind", KINDS(), entry.kind || "question")),
      node("div", { className: "xvs-cp-policy" }, [
        field(gettext("After a wrong answer"), select("policy", POLICIES(), entry.policy || "retry")),
        field(gettext("Rewind to (seconds, empty = previous checkpoint)"), input("rewind_to", entry.rewind_to, { type: "number", min: "0", step: "0.1" }), "xvs-cp-rewind"),
        attemptsField(entry.max_attempts),
      ]),
      node("div", { className: "xvs-cp-question" }, [
        field(gettext("Question type"), select("type", TYPES(), question.type || "single")),
        field(gettext("Question"), textarea("stem", question.stem, 2)),
        field(gettext("Options (one per line: A, B, C...)"), textarea("options", options, 4), "xvs-cp-choices"),
        field(gettext("Correct option letters (e.g. A or AC)"), input("answer", question.type === "truefalse" ? "" : answer), "xvs-cp-choices"),
        field(gettext("The statement is"), select("truth", TRUTH(), answer || "true"), "xvs-cp-truth"),
        field(gettext("Accepted answers: one line per blank, spellings separated by |"), textarea("blanks", blanks, 2), "xvs-cp-blanks"),
        field(gettext("Explanation (shown after a right answer)"), textarea("explanation", question.explanation, 2)),
        field(gettext("Give each learner a question drawn from the bank by these tags instead (this one if none matches)"),
          node("input", { type: "checkbox", "data-k": "draw_from_bank", checked: entry.draw_from_bank === true })),
      ]),
      node("div", { className: "xvs-cp-bank" }, [tagFields(entry.tags || {})]),
      node("div", { className: "xvs-cp-card" }, [
        field(gettext("Card title"), input("title", card.title)),
        field(gettext("Card text"), textarea("text", card.text, 3)),
        field(gettext("Image URL (optional)"), input("image_url", card.image_url)),
      ]),
    ]);
    remove.addEventListener("click", () => {
      li.remove();
      this.renumber();
    });
    for (const key of ["kind", "type", "policy"]) {
      li.querySelector(`[data-k=${key}]`).addEventListener("change", () => this.toggle(li));
    }
    this.toggle(li);
    return li;
  }

  /** Show only the parts that apply to the chosen kind, type and policy. */
  toggle(li) {
    const get = (key) => li.querySelector(`[data-k=${key}]`).value;
    const kind = get("kind");
    const type = get("type");
    li.querySelector(".xvs-cp-question").hidden = kind !== "question";
    li.querySelector(".xvs-cp-bank").hidden = kind === "card";
    li.querySelector(".xvs-cp-card").hidden = kind !== "card";
    li.querySelector(".xvs-cp-policy").hidden = kind === "card";
    li.querySelector(".xvs-cp-rewind").hidden = get("policy") !== "rewind";
    li.querySelector(".xvs-cp-attempts").hidden = get("policy") !== "retry";
    for (const box of li.querySelectorAll(".xvs-cp-choices")) {
      box.hidden = !(type === "single" || type === "multiple");
    }
    li.querySelector(".xvs-cp-truth").hidden = type !== "truefalse";
    li.querySelector(".xvs-cp-blanks").hidden = type !== "blank";
  }

  collect() {
    return Array.from(this.list.children).map((li) => {
      const get = (key) => li.querySelector(`[data-k=${key}]`).value;
      const kind = get("kind");
      const type = get("type");
      const entry = { at: get("at"), kind, policy: get("policy"), rewind_to: get("rewind_to").trim() || null,
        max_attempts: get("max_attempts").trim() || null };
      if (li.dataset.id) {
        entry.id = li.dataset.id;
      }
      if (kind === "card") {
        entry.card = { title: get("title"), text: get("text"), image_url: get("image_url").trim() };
        return entry;
      }
      entry.tags = readTags(li.querySelector(".xvs-cp-bank"));
      if (kind === "question") {
        const lines = (text) => text.split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
        entry.question = {
          type,
          stem: get("stem"),
          options: lines(get("options")),
          answer: type === "truefalse" ? get("truth") : get("answer").replace(/[\s,，]/g, "").toUpperCase(),
          blanks: lines(get("blanks")).map((line) => line.split("|").map((s) => s.trim()).filter(Boolean)),
          explanation: get("explanation"),
        };
        entry.draw_from_bank = li.querySelector("[data-k=draw_from_bank]").checked;
      }
      return entry;
    });
  }

  collectRandom() {
    return {
      count: this.random.querySelector("[data-k=count]").value,
      tags: readTags(this.random),
      policy: this.random.querySelector("[data-k=policy]").value,
      max_attempts: this.random.querySelector("[data-k=max_attempts]").value.trim() || null,
    };
  }
}
