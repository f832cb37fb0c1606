/* The Studio editor of xueshi_practice: posts the form to `submit_studio_edits`, shows per-field errors. */
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

  function csrfToken() {
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  global.XueshiPracticeStudio = function (runtime, element) {
    var form = element.querySelector(".xueshi-practice-studio");
    var summary = form.querySelector(".xps-errors");
    var status = form.querySelector(".xps-status");

    /* "Saved." / "Saving failed: <reason>", texts rendered by the server (data attributes). */
    function showStatus(ok, reason) {
      status.setAttribute("data-state", ok ? "saved" : "failed");
      status.textContent = ok ? status.getAttribute("data-saved")
        : status.getAttribute("data-failed").replace("{reason}", reason || status.getAttribute("data-unreachable"));
    }

    function values() {
      var checked = function (name) {
        return Array.prototype.filter.call(form.querySelectorAll("input[name=" + name + "]"), function (i) { return i.checked; })
          .map(function (i) { return i.value; });
      };
      return {
        display_name: form.display_name.value,
        mode: (checked("mode")[0] || "practice"),
        trades: form.trades.value,
        knowledge_points: form.knowledge_points.value,
        difficulties: checked("difficulties").map(Number),
        question_count: form.question_count.value,
        time_limit_minutes: form.time_limit_minutes.value,
        pass_percent: form.pass_percent.value,
        max_attempts: form.max_attempts.value,
        weight: form.weight.value,
        show_explanations: form.show_explanations.checked,
      };
    }

    function showErrors(message, fields) {
      summary.hidden = !message;
      summary.textContent = message || "";
      Array.prototype.forEach.call(form.querySelectorAll(".xps-field"), function (field) {
        var error = field.querySelector(".xps-error");
        var text = (fields || {})[field.getAttribute("data-field")];
        if (error) { error.hidden = !text; error.textContent = text || ""; }
      });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (runtime.notify) { runtime.notify("save", { state: "start", message: gettext("Saving") }); }
      status.textContent = "";
      status.removeAttribute("data-state");
      fetch(runtime.handlerUrl(element, "submit_studio_edits"), {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
        body: JSON.stringify({ values: values() }),
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (!response.ok) {
            showErrors(data.message, data.field_errors);
            var failure = new Error(data.message || "HTTP " + response.status);
            failure.fromServer = true;
            throw failure;
          }
          showErrors("", {});
          form.setAttribute("data-saved", "true");
          showStatus(true);
          if (runtime.notify) { runtime.notify("save", { state: "end" }); }
        });
      }).catch(function (error) {
        showStatus(false, error.fromServer ? error.message : "");
        if (runtime.notify) { runtime.notify("error", { title: gettext("Saving failed."), message: error.message }); }
      });
    });
    form.querySelector(".xps-cancel").addEventListener("click", function () {
      if (runtime.notify) { runtime.notify("cancel", {}); }
    });
  };
})(window);
