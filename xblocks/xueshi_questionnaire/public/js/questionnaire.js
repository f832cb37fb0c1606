/*
 * The learner's side of xueshi_questionnaire (plain JS, no build): the form is rendered by the
 * server; this sends the answers to the `submit_answers` handler and shows 已提交, or the server's
 * reason for refusing (missing required answers, closed, already answered), in the learner's language.
 */
(function (global) {
  "use strict";

  function gettext(message) {
    var found = global.XueshiQuestionnaireI18N;
    return found && typeof found.gettext === "function" ? found.gettext(message) : message;
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  // {question id: option id | [option ids] | number | text}; unanswered questions are left out.
  function collect(form) {
    var answers = {};
    form.querySelectorAll(".xq-question").forEach(function (box) {
      var id = box.getAttribute("data-id");
      var kind = box.getAttribute("data-kind");
      if (kind === "multiple") {
        var chosen = Array.prototype.map.call(box.querySelectorAll("input:checked"), function (i) { return i.value; });
        if (chosen.length) { answers[id] = chosen; }
      } else if (kind === "text") {
        var text = box.querySelector("textarea").value.trim();
        if (text) { answers[id] = text; }
      } else {
        var picked = box.querySelector("input:checked");
        if (picked) { answers[id] = picked.value; }
      }
    });
    return answers;
  }

  global.XueshiQuestionnaireBlock = function (runtime, element) {
    var root = element.querySelector(".xueshi-questionnaire");
    var form = root.querySelector(".xq-form");
    if (!form) { return; }
    var error = root.querySelector(".xq-error");
    var button = root.querySelector(".xq-submit");
    var label = button.textContent;

    function fail(message) {
      error.textContent = message;
      error.hidden = false;
      button.disabled = false;
      button.textContent = label;
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      error.hidden = true;
      button.disabled = true;
      button.textContent = gettext("Sending…");
      fetch(runtime.handlerUrl(element, "submit_answers"), {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
        body: JSON.stringify({ answers: collect(form) }),
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (response.ok || data.error === "already_answered") {
            form.remove();
            root.querySelector(".xq-done").hidden = false;
            root.setAttribute("data-answered", "true");
            return;
          }
          fail(data.message || gettext("The answers could not be sent. Please try again."));
        });
      }).catch(function () {
        fail(gettext("The server could not be reached. Please try again."));
      });
    });
  };
})(window);
