/* Registering the learner's photo: posts the chosen file (phones offer the front camera through
 * the input's `capture` attribute) and shows the server's reason when it is refused. */
(function () {
  "use strict";
  var form = document.getElementById("xf-enrol-form");
  var config = document.getElementById("xf-config");
  var status = document.getElementById("xf-status");
  if (!form || !config) return;
  // No photo is chosen or taken (the camera stays off) before the separate consent is ticked.
  var consent = document.getElementById("xf-consent");
  var photo = document.getElementById("xf-photo");
  if (consent && photo) {
    consent.addEventListener("change", function () { photo.disabled = !consent.checked; });
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var csrf = form.querySelector("[name=csrfmiddlewaretoken]");
    fetch(config.getAttribute("data-api"), {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: { "X-CSRFToken": csrf ? csrf.value : "", "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (data) {
        if (response.ok) {
          status.textContent = config.getAttribute("data-msg-done");
          status.className = "xf-status xf-passed";
          var next = config.getAttribute("data-next");
          setTimeout(function () { window.location.assign(next || window.location.pathname); }, 800);
        } else {
          status.textContent = data.message;
          status.className = "xf-status xf-failed";
        }
      });
    }).catch(function () {
      status.textContent = config.getAttribute("data-msg-network");
      status.className = "xf-status xf-failed";
    });
  });
})();
