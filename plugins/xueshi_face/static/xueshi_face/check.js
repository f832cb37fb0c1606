/*
 * Face check page: camera via getUserMedia (browsers and phone web views), frames captured on a
 * canvas and posted as JPEG; with liveness on, three frames 0.7 s apart while the learner turns
 * their head. On a pass inside the player's hold overlay (an iframe) the parent is told with
 * postMessage({type: "xueshi:hold-cleared", kind}); standalone, the page goes on to `next`.
 * The server decides everything: this page only captures and reports.
 */
(function () {
  "use strict";
  var config = document.getElementById("xf-config");
  var video = document.getElementById("xf-video");
  var canvas = document.getElementById("xf-canvas");
  var status = document.getElementById("xf-status");
  var start = document.getElementById("xf-start");
  var form = document.getElementById("xf-form");
  if (!config || !video) return;
  var msg = function (name) { return config.getAttribute("data-msg-" + name) || ""; };
  var FRAME_GAP_MS = 700;

  function say(text, state) {
    status.textContent = text;
    status.className = "xf-status" + (state ? " xf-" + state : "");
  }

  function grab() {
    var width = video.videoWidth || 640, height = video.videoHeight || 480;
    var scale = Math.min(1, 800 / Math.max(width, height));
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    canvas.getContext("2d").drawImage(video, 0, 0, canvas.width, canvas.height);
    return new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", 0.9); });
  }

  function wait(ms) { return new Promise(function (resolve) { setTimeout(resolve, ms); }); }

  function capture() {
    var count = config.getAttribute("data-liveness") === "1" ? 3 : 1;
    var frames = [];
    var step = function () {
      return grab().then(function (blob) {
        frames.push(blob);
        if (frames.length >= count) return frames;
        if (frames.length === 1) say(msg("turn"));
        return wait(FRAME_GAP_MS).then(step);
      });
    };
    return step();
  }

  function send(frames) {
    var body = new FormData(form);
    frames.forEach(function (blob, i) { body.append("frame", blob, "frame" + i + ".jpg"); });
    var csrf = form.querySelector("[name=csrfmiddlewaretoken]");
    return fetch(config.getAttribute("data-api"), {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": csrf ? csrf.value : "", "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    });
  }

  function passed(data) {
    say(data.message, "passed");
    document.body.setAttribute("data-xf-result", "passed");
    var kind = data.hold_kind || config.getAttribute("data-kind");
    if (window.parent && window.parent !== window) {
      window.parent.postMessage({ type: "xueshi:hold-cleared", kind: kind }, window.location.origin);
    } else if (config.getAttribute("data-next")) {
      setTimeout(function () { window.location.assign(config.getAttribute("data-next")); }, 1200);
    }
  }

  function run() {
    start.disabled = true;
    capture().then(function (frames) {
      say(msg("sending"));
      return send(frames);
    }).then(function (result) {
      if (result.ok && result.data.passed) return passed(result.data);
      document.body.setAttribute("data-xf-result", result.ok ? "failed" : "error");
      say(result.data.message || msg("network"), "failed");
      start.textContent = msg("retry");
      start.disabled = false;
    }).catch(function () {
      document.body.setAttribute("data-xf-result", "error");
      say(msg("network"), "failed");
      start.disabled = false;
    });
  }

  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    say(msg("no-camera"), "failed");
    return;
  }
  navigator.mediaDevices.getUserMedia({ video: { facingMode: "user", width: { ideal: 640 }, height: { ideal: 480 } }, audio: false })
    .then(function (stream) {
      video.srcObject = stream;
      return video.play ? video.play() : null;
    })
    .then(function () { say(msg("ready")); start.disabled = false; document.body.setAttribute("data-xf-camera", "ready"); })
    .catch(function () { say(msg("no-camera"), "failed"); });
  start.addEventListener("click", run);
})();
