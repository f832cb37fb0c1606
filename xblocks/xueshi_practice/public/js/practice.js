/*
 * The learner's side of xueshi_practice (plain JS, no build). The page knows no answers: it gets
 * question views from the `state`/`start` handlers and sees a judgement only after answering
 * (practice) or submitting (mock exam). The exam clock shown here is only a display of the
 * server's deadline; the server refuses late answers and submits the exam itself.
 */
(function (global) {
  "use strict";

  // The block's compiled catalog: Django's JavaScript gettext under the block's i18n_js_namespace
  // (public/js/translations/<locale>/text.js, generated from djangojs.po; ADR 0081). English without it.
  function catalog() {
    var found = global.XueshiPracticeI18N;
    return found && typeof found.gettext === "function" ? found : null;
  }

  function gettext(message) {
    var found = catalog();
    return found ? found.gettext(message) : message;
  }

  function ngettext(singular, plural, count) {
    var found = catalog();
    return found ? found.ngettext(singular, plural, count) : (count === 1 ? singular : plural);
  }

  // `{name}` placeholders, as edx-platform's StringUtils.interpolate.
  function interpolate(text, values) {
    return text.replace(/\{(\w+)\}/g, function (match, key) { return key in values ? String(values[key]) : match; });
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function clock(seconds) {
    var total = Math.max(0, Math.floor(seconds));
    var m = Math.floor(total / 60);
    var s = String(total % 60).padStart(2, "0");
    return m + ":" + s;
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  global.XueshiPracticeBlock = function (runtime, element, args) {
    var root = element.querySelector(".xueshi-practice");
    var status = root.querySelector(".xp-status");
    var list = root.querySelector(".xp-questions");
    var result = root.querySelector(".xp-result");
    var timer = root.querySelector(".xp-timer");
    var startButton = root.querySelector(".xp-start");
    var retryButton = root.querySelector(".xp-retry");
    var footer = root.querySelector(".xp-footer");
    var exam = args.mode === "exam";
    var current = null;
    var deadlineAt = null;
    var tick = null;

    function call(name, body) {
      return fetch(runtime.handlerUrl(element, name), {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
        body: JSON.stringify(body || {}),
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (!response.ok) { var error = new Error(data.message || gettext("Something went wrong.")); error.data = data; throw error; }
          return data;
        });
      });
    }

    function say(text) { status.textContent = text || ""; }

    function showStanding(state) {
      var parts = [];
      parts.push(interpolate(ngettext("{count} question available", "{count} questions available", state.available), { count: state.available }));
      if (exam) {
        parts.push(interpolate(gettext("{minutes} minutes, pass mark {pass}%"), { minutes: state.time_limit_minutes, pass: state.pass_percent }));
        if (state.attempts_left !== null) { parts.push(interpolate(gettext("attempts left: {n}"), { n: state.attempts_left })); }
        if (state.best_percent) { parts.push(interpolate(gettext("best score: {score}%"), { score: state.best_percent })); }
      } else {
        parts.push(interpolate(gettext("wrong-answer book: {n}"), { n: state.wrong_book }));
      }
      footer.textContent = parts.join(" · ");
      if (retryButton) { retryButton.hidden = !state.wrong_book; }
      var open = state.round && state.round.id && !state.round.finished;
      startButton.hidden = Boolean(open) || (exam && state.attempts_left === 0);
      startButton.textContent = state.round && state.round.finished
        ? (exam ? gettext("Take the exam again") : gettext("Another set"))
        : startButton.textContent;
    }

    function render(state) {
      root.setAttribute("data-state", "ready");
      showStanding(state);
      current = state.round && state.round.id ? state.round : null;
      list.textContent = "";
      result.hidden = true;
      if (!current) { say(""); stopTimer(); timer.hidden = true; return; }
      current.questions.forEach(function (item, index) { list.appendChild(questionNode(item, index)); });
      if (exam && !current.finished) {
        var submit = el("button", { type: "button", class: "xp-submit" }, gettext("Submit the exam"));
        submit.addEventListener("click", function () {
          if (global.confirm(gettext("Submit the exam now? You cannot change answers afterwards."))) { submitExam(); }
        });
        list.appendChild(el("li", { class: "xp-submit-row" })).appendChild(submit);
        startTimer(current.remaining_seconds);
      } else {
        stopTimer();
        timer.hidden = true;
      }
      if (current.finished) { showResult(current); }
      say("");
    }

    function questionNode(item, index) {
      var view = item.view;
      var li = el("li", { class: "xp-question", "data-version": view.version_id, "data-type": view.type });
      li.appendChild(el("div", { class: "xp-stem" }, (index + 1) + ". " + view.stem));
      var name = "xp-" + current.id + "-" + view.version_id;
      if (view.type === "blank") {
        for (var b = 0; b < view.blank_count; b++) {
          li.appendChild(el("input", { type: "text", class: "xp-blank", "aria-label": interpolate(gettext("Blank {n}"), { n: b + 1 }) }));
        }
      } else {
        view.options.forEach(function (option, position) {
          var label = el("label", { class: "xp-option", "data-key": option.key });
          var input = el("input", { type: view.type === "multiple" ? "checkbox" : "radio", name: name, value: option.key });
          label.appendChild(input);
          var letter = view.type === "truefalse" ? "" : String.fromCharCode(65 + position) + ". ";
          var text = view.type === "truefalse" ? (option.key === "true" ? gettext("True") : gettext("False")) : option.text;
          label.appendChild(el("span", {}, letter + text));
          li.appendChild(label);
        });
      }
      if ("answer" in item) { fill(li, view, item.answer); }
      if (item.judgement) {
        showJudgement(li, view, item.judgement);
      } else if (!exam) {
        var button = el("button", { type: "button", class: "xp-answer" }, gettext("Check my answer"));
        button.addEventListener("click", function () { answerPractice(li, view, button); });
        li.appendChild(button);
      } else if (!current.finished) {
        li.addEventListener("change", function () { saveExam(li, view); });
      }
      return li;
    }

    function read(li, view) {
      if (view.type === "blank") {
        return Array.prototype.map.call(li.querySelectorAll(".xp-blank"), function (input) { return input.value; });
      }
      var chosen = Array.prototype.filter.call(li.querySelectorAll("input"), function (i) { return i.checked; })
        .map(function (i) { return i.value; });
      return view.type === "multiple" ? chosen : chosen[0];
    }

    function fill(li, view, answer) {
      if (view.type === "blank") {
        Array.prototype.forEach.call(li.querySelectorAll(".xp-blank"), function (input, i) { input.value = (answer || [])[i] || ""; });
        return;
      }
      var chosen = [].concat(answer === undefined || answer === null ? [] : answer).map(String);
      Array.prototype.forEach.call(li.querySelectorAll("input"), function (input) { input.checked = chosen.indexOf(input.value) >= 0; });
    }

    function displayAnswer(li, view, keys) {
      if (view.type === "blank") { return keys.join("；"); }
      if (view.type === "truefalse") { return keys[0] === "true" ? gettext("True") : gettext("False"); }
      var labels = Array.prototype.map.call(li.querySelectorAll(".xp-option"), function (label) { return label.getAttribute("data-key"); });
      return keys.map(function (key) { return String.fromCharCode(65 + labels.indexOf(key)); }).sort().join("");
    }

    function showJudgement(li, view, judgement) {
      Array.prototype.forEach.call(li.querySelectorAll("input"), function (input) { input.disabled = true; });
      Array.prototype.forEach.call(li.querySelectorAll(".xp-option"), function (label) {
        var key = label.getAttribute("data-key");
        var checked = label.querySelector("input").checked;
        if (judgement.correct_answer.indexOf(key) >= 0) { label.classList.add("xp-right"); } else if (checked) { label.classList.add("xp-wrong"); }
      });
      var box = el("div", { class: "xp-feedback " + (judgement.correct ? "xp-correct" : "xp-incorrect"), role: "status" });
      box.appendChild(el("strong", {}, judgement.correct ? gettext("Correct!") : gettext("Not quite.")));
      box.appendChild(el("div", { class: "xp-key" }, interpolate(gettext("Answer: {answer}"), { answer: displayAnswer(li, view, judgement.correct_answer) })));
      if (judgement.explanation) { box.appendChild(el("div", { class: "xp-explanation" }, judgement.explanation)); }
      li.appendChild(box);
    }

    function answerPractice(li, view, button) {
      var answer = read(li, view);
      if (answer === undefined || (Array.isArray(answer) && (!answer.length || answer.every(function (a) { return !a.trim(); })))) {
        say(gettext("Choose or write an answer first."));
        return;
      }
      button.disabled = true;
      call("answer", { round_id: current.id, version_id: view.version_id, answer: answer }).then(function (data) {
        button.remove();
        showJudgement(li, view, data.judgement);
        if (data.finished) { refresh(); }
      }).catch(function (error) { button.disabled = false; say(error.message); });
    }

    function saveExam(li, view) {
      call("save_answer", { round_id: current.id, version_id: view.version_id, answer: read(li, view) }).then(function (data) {
        say(gettext("Answer saved."));
        startTimer(data.remaining_seconds);
      }).catch(function (error) {
        say(error.message);
        if (error.data && error.data.result) { render({ round: error.data.result, available: 0, wrong_book: 0 }); refresh(); }
      });
    }

    function submitExam() {
      var answers = {};
      Array.prototype.forEach.call(list.querySelectorAll(".xp-question"), function (li) {
        var view = current.questions.filter(function (q) { return String(q.view.version_id) === li.getAttribute("data-version"); })[0].view;
        var answer = read(li, view);
        if (answer !== undefined && !(Array.isArray(answer) && !answer.length)) { answers[view.version_id] = answer; }
      });
      call("submit", { round_id: current.id, answers: answers }).then(refresh).catch(function (error) { say(error.message); refresh(); });
    }

    function showResult(round) {
      if (!round.score) { result.hidden = false; result.textContent = gettext("Set finished. Start another set or retry your wrong answers."); return; }
      var s = round.score;
      result.hidden = false;
      result.textContent = interpolate(gettext("Score: {correct} of {total} ({percent}%) — {verdict}"), {
        correct: s.correct, total: s.total, percent: s.percent, verdict: s.passed ? gettext("passed") : gettext("not passed"),
      }) + (round.late ? " " + gettext("(submitted automatically when time was up)") : "");
    }

    function startTimer(seconds) {
      if (seconds === null || seconds === undefined) { return; }
      deadlineAt = Date.now() + seconds * 1000;
      timer.hidden = false;
      showClock();
      if (!tick) { tick = setInterval(showClock, 250); }
    }

    function showClock() {
      var left = (deadlineAt - Date.now()) / 1000;
      timer.textContent = interpolate(gettext("Time left {clock}"), { clock: clock(left) });
      if (left <= 0) { stopTimer(); say(gettext("Time is up.")); setTimeout(refresh, 1500); }
    }

    function stopTimer() {
      if (tick) { clearInterval(tick); tick = null; }
    }

    function refresh() {
      return call("state").then(render).catch(function (error) { root.setAttribute("data-state", "error"); say(error.message); });
    }

    startButton.addEventListener("click", function () {
      startButton.disabled = true;
      call("start", {}).then(render).catch(function (error) { say(error.message); }).then(function () { startButton.disabled = false; });
    });
    if (retryButton) {
      retryButton.addEventListener("click", function () {
        call("start", { source: "wrong_book" }).then(render).catch(function (error) { say(error.message); });
      });
    }
    refresh();
  };
})(window);
