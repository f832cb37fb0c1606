/**
 * The Studio editor: collects the form, posts it to `submit_studio_edits`, shows the server's
 * per-field errors (in the author's language), and previews the media to detect its duration
 * (from `loadedmetadata`). The server validates everything again; this only helps the author.
 */
import { CheckpointEditor } from "./cpeditor.js";
import { gettext } from "./i18n.js";
import { attachSource } from "./source.js";

const HLS = /\.m3u8(\?|#|$)/i;

function lines(text) {
  return text.split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
}

function typeOf(url) {
  if (HLS.test(url)) {
    return "application/x-mpegURL";
  }
  return /\.webm(\?|#|$)/i.test(url) ? "video/webm" : "video/mp4";
}

/** A number typed in the form, converted for the server; anything non-numeric is sent as typed. */
function converted(raw, convert) {
  const value = Number(raw);
  return raw.trim() !== "" && Number.isFinite(value) ? convert(value) : raw;
}

function collect(form, checkpoints) {
  const field = (name) => form.elements[name];
  return {
    checkpoints: checkpoints.collect(),
    random_checkpoints: checkpoints.collectRandom(),
    score_checkpoints: field("score_checkpoints").checked,
    display_name: field("display_name").value,
    sources: lines(field("sources").value),
    edx_video_id: field("edx_video_id").value.trim(),
    media_asset: field("media_asset") ? field("media_asset").value : "",
    duration: field("duration").value,
    captions: lines(field("captions").value).map((line) => {
      const [lang, ...rest] = line.split(/\s+/);
      return { lang, url: rest.join(" ") };
    }),
    transcript_download: field("transcript_download").checked,
    completion_coverage: converted(field("completion_coverage").value, (percent) => percent / 100),
    allowed_rates: Array.from(form.querySelectorAll("input[name=allowed_rates]:checked")).map((i) => Number(i.value)),
    anti_idle_minutes: field("anti_idle_minutes").value,
    free_seek_after_complete: field("free_seek_after_complete").checked,
    preview: field("preview").checked,
    preview_max_seconds: converted(field("preview_max_minutes").value, (minutes) => Math.round(minutes * 60)),
    weight: field("weight").value,
  };
}

function showErrors(form, summary, errors, message) {
  for (const box of form.querySelectorAll(".xvs-field")) {
    const error = box.querySelector(".xvs-error");
    const text = errors[box.dataset.field];
    box.classList.toggle("xvs-invalid", Boolean(text));
    error.hidden = !text;
    error.textContent = text || "";
    const input = box.querySelector("input, textarea, select");
    if (input) {
      input.setAttribute("aria-invalid", String(Boolean(text)));
    }
  }
  summary.hidden = !message;
  summary.textContent = message || "";
  const first = form.querySelector(".xvs-invalid input, .xvs-invalid textarea");
  if (first) {
    first.focus();
  }
}

/**
 * The status line after a save: "Saved." or "Saving failed: <reason>" (texts rendered by the
 * server in the author's language, in the element's data attributes). Studio's own notification
 * (`runtime.notify`) is brief and absent outside Studio; this line stays until the next save.
 */
function showStatus(status, ok, reason) {
  if (!status) {
    return;
  }
  status.dataset.state = ok ? "saved" : "failed";
  status.textContent = ok
    ? status.dataset.saved
    : status.dataset.failed.replace("{reason}", reason || status.dataset.unreachable);
}

function preview(form) {
  const video = form.querySelector(".xvs-video");
  const duration = form.elements.duration;
  let current = "";
  let hls = null;
  const load = () => {
    const urls = lines(form.elements.sources.value);
    if (!urls.length || urls[0] === current) {
      return;
    }
    current = urls[0];
    if (hls) {
      hls.destroy();
    }
    const attached = attachSource(video, urls.map((url) => ({ url, type: typeOf(url) })));
    hls = attached && attached.hls;
  };
  video.addEventListener("loadedmetadata", () => {
    if (Number.isFinite(video.duration) && !(Number(duration.value) > 0)) {
      duration.value = video.duration.toFixed(3);
    }
  });
  form.querySelector(".xvs-detect").addEventListener("click", () => {
    load();
    if (Number.isFinite(video.duration) && video.duration > 0) {
      duration.value = video.duration.toFixed(3);
    }
  });
  form.elements.sources.addEventListener("change", load);
  load();
}

window.XueshiVideoStudio = function XueshiVideoStudio(runtime, element, args) {
  const form = element.querySelector(".xueshi-video-studio");
  const summary = form.querySelector(".xvs-errors");
  const status = form.querySelector(".xvs-status");
  const notify = (name, data) => runtime.notify && runtime.notify(name, data);
  preview(form);
  const values = (args && args.values) || {};
  const checkpoints = new CheckpointEditor(form, form.querySelector(".xvs-video"), {
    checkpoints: values.checkpoints || [], random: values.random_checkpoints || {},
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    notify("save", { state: "start", message: gettext("Saving") });
    status.textContent = "";
    delete status.dataset.state;
    try {
      const response = await fetch(runtime.handlerUrl(element, "submit_studio_edits"), {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": runtime.csrfToken ? runtime.csrfToken() : "" },
        body: JSON.stringify({ values: collect(form, checkpoints) }),
      });
      const data = await response.json().catch(() => ({}));
      if (response.ok) {
        showErrors(form, summary, {}, "");
        form.dataset.saved = "true";
        showStatus(status, true);
        notify("save", { state: "end" });
      } else {
        showErrors(form, summary, data.field_errors || {}, data.message || gettext("Saving failed."));
        showStatus(status, false, data.message || `HTTP ${response.status}`);
        notify("error", { title: gettext("Saving failed."), message: data.message || "" });
      }
    } catch (error) {
      showErrors(form, summary, {}, gettext("Saving failed."));
      showStatus(status, false, "");
    }
  });
  form.querySelector(".xvs-cancel").addEventListener("click", () => notify("cancel", {}));
};
