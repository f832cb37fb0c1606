/*
 * Face check page: camera via getUserMedia (browsers and phone web views), frames captured on a
 * canvas and posted as JPEG. Each check first asks the server for a challenge: a random sequence
 * of poses (turn left, look straight, turn right) and a single-use nonce; the page shows each pose
 * in turn, takes one frame per pose and posts them with the nonce before the challenge expires. On a pass inside the player's hold overlay (an iframe) the parent is told with
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
  var POSE_MS = 1500;  // time to take each pose before its frame is taken

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

  function post(url, body) {
    var csrf = form.querySelector("[name=csrfmiddlewaretoken]");
    return fetch(url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": csrf ? csrf.value : "", "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    });
  }

  function capture(challenge) {
    if (!challenge.poses.length) return grab().then(function (blob) { return [blob]; });
    var frames = [];
    var step = function () {
      var i = frames.length;
      say(challenge.instructions[i], "pose");
      document.body.setAttribute("data-xf-pose", challenge.poses[i]);
      return wait(POSE_MS).then(grab).then(function (blob) {
        frames.push(blob);
        return frames.length >= challenge.poses.length ? frames : step();
      });
    };
    return step();
  }

  function send(challenge, frames) {
    var body = new FormData(form);
    body.append("nonce", challenge.nonce);
    frames.forEach(function (blob, i) { body.append("frame", blob, "frame" + i + ".jpg"); });
    return post(config.getAttribute("data-api"), body);
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
    var challenge;
    post(config.getAttribute("data-challenge-api"), new FormData(form)).then(function (result) {
      if (!result.ok) throw new Error("challenge");
      challenge = result.data;
      return capture(challenge);
    }).then(function (frames) {
      document.body.removeAttribute("data-xf-pose");
      say(msg("sending"));
      return send(challenge, frames);
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
