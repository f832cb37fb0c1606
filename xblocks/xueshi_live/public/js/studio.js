/* The live lesson's Studio editor: posts the form to submit_studio_edits, shows per-field errors. */
function XueshiLiveStudio(runtime, element) {
  var root = element.querySelector ? element : element[0];
  var form = root.querySelector(".xl-form");
  var status = root.querySelector(".xl-status");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var values = {};
    Array.prototype.forEach.call(form.elements, function (field) {
      if (field.name) { values[field.name] = field.value; }
    });
    root.querySelectorAll(".xl-error").forEach(function (p) { p.textContent = ""; });
    runtime.notify && runtime.notify("save", { state: "start" });
    fetch(runtime.handlerUrl(element, "submit_studio_edits"), {
      method: "POST", credentials: "same-origin", body: JSON.stringify({ values: values }),
      headers: { "Content-Type": "application/json",
        "X-CSRFToken": (document.cookie.match(/(?:^|; )csrftoken=([^;]+)/) || [])[1] || "" },
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      if (result.ok) {
        status.textContent = status.dataset.saved;
        runtime.notify && runtime.notify("save", { state: "end" });
        return;
      }
      var errors = result.data.field_errors || {};
      Object.keys(errors).forEach(function (name) {
        var p = root.querySelector('.xl-error[data-for="' + name + '"]');
        if (p) { p.textContent = errors[name]; }
      });
      status.textContent = status.dataset.failed.replace("{reason}", result.data.message || "");
    }).catch(function () {
      status.textContent = status.dataset.failed.replace("{reason}", "");
    });
  });
  root.querySelector(".xl-cancel").addEventListener("click", function () {
    runtime.notify && runtime.notify("cancel", {});
  });
}
window.XueshiLiveStudio = XueshiLiveStudio;
