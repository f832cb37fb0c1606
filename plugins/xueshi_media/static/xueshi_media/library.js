/* The course's video library: chunked, resumable upload with progress; jobs polled until done. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("xm-config").textContent);
  var text = JSON.parse(document.getElementById("xm-text").textContent);
  var base = "/xueshi/media/";
  var status = document.getElementById("xm-status");
  var bar = document.getElementById("xm-progress");

  function csrf() {
    var m = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }
  function call(method, url, body, headers) {
    var h = Object.assign({ "X-CSRFToken": csrf() }, headers || {});
    if (body && !(body instanceof Blob)) { h["Content-Type"] = "application/json"; body = JSON.stringify(body); }
    return fetch(url, { method: method, headers: h, body: body, credentials: "same-origin" }).then(function (r) {
      return r.json().then(function (data) { return { status: r.status, data: data }; });
    });
  }
  function remember(file) { return "xueshi-media-upload:" + config.course_id + ":" + file.name + ":" + file.size; }

  function sendFrom(id, file, offset, chunk) {
    bar.value = Math.floor((100 * offset) / file.size);
    status.textContent = text.uploading + " " + bar.value + "%";
    if (offset >= file.size) { return Promise.resolve(); }
    var piece = file.slice(offset, Math.min(file.size, offset + chunk));
    return call("PUT", base + "uploads/" + id + "/", piece, { "Upload-Offset": String(offset) }).then(function (r) {
      if (r.status === 200 || r.status === 409) { return sendFrom(id, file, r.data.received, chunk); }
      throw new Error(r.data.detail || r.data.error);
    });
  }

  function start() {
    var file = document.getElementById("xm-file").files[0];
    if (!file) { status.textContent = text.choose; return; }
    var title = document.getElementById("xm-title").value;
    bar.hidden = false;
    var known = localStorage.getItem(remember(file));
    var begin = known
      ? call("GET", base + "uploads/" + known + "/").then(function (r) {
          if (r.status === 200 && r.data.state === "open") { status.textContent = text.resumed; return { id: known, received: r.data.received }; }
          return null;
        })
      : Promise.resolve(null);
    begin.then(function (found) {
      if (found) { return found; }
      return call("POST", base + "uploads/", { course_id: config.course_id, filename: file.name, size: file.size }).then(function (r) {
        if (r.status !== 201) { throw new Error(r.data.detail || r.data.error); }
        localStorage.setItem(remember(file), r.data.id);
        return r.data;
      });
    }).then(function (up) {
      return sendFrom(up.id, file, up.received, up.chunk_bytes || 8388608).then(function () { return up.id; });
    }).then(function (id) {
      status.textContent = text.checking;
      return call("POST", base + "uploads/" + id + "/finish/", { title: title }).then(function (r) {
        localStorage.removeItem(remember(file));
        if (r.status !== 201) { throw new Error(r.data.detail || r.data.error); }
        bar.value = 100;
        status.textContent = text.queued;
        refresh();
      });
    }).catch(function (err) { status.textContent = text.failed + " " + err.message; });
  }

  function cell(row, value, cls) {
    var td = document.createElement("td");
    td.textContent = value;
    if (cls) { td.className = cls; }
    row.appendChild(td);
    return td;
  }
  function refresh() {
    call("GET", base + "courses/" + encodeURIComponent(config.course_id) + "/videos/").then(function (r) {
      var rows = document.getElementById("xm-rows");
      rows.textContent = "";
      var busy = false;
      (r.data.assets || []).forEach(function (a) {
        var tr = document.createElement("tr");
        tr.dataset.asset = a.id;
        cell(tr, a.title);
        var st = cell(tr, a.state_label + (a.state === "running" || a.state === "queued" ? " " + a.progress + "%" : ""), "xm-" + a.state);
        if (a.error) { st.title = a.error; st.textContent += " — " + a.error.slice(0, 120); }
        cell(tr, a.duration ? a.duration.toFixed(1) + " s" : "");
        cell(tr, a.renditions.join(" · "));
        var act = cell(tr, "");
        if (a.state === "failed") {
          var b = document.createElement("button");
          b.type = "button"; b.textContent = text.retry;
          b.addEventListener("click", function () { call("POST", base + "videos/" + a.id + "/retry/", {}).then(refresh); });
          act.appendChild(b);
        }
        busy = busy || a.state === "queued" || a.state === "running";
        rows.appendChild(tr);
      });
      if (busy) { setTimeout(refresh, 2000); }
    });
  }
  document.getElementById("xm-start").addEventListener("click", start);
  refresh();
})();
