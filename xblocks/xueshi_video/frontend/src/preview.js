/**
 * The 试听 preview page's player: hls.js (light build) on the block's preview-token playlist, and
 * nothing else (no heartbeats, no session, no study rules), so the public page stays small.
 * Where Media Source Extensions are missing (iPhone Safari, WeChat on iOS) the browser plays the
 * HLS natively; the <video>'s MP4/WebM <source>s, if any, stay as the fallback. When the server
 * refuses a fetch (an expired link, the preview's end) the page says so in the visitor's language.
 * The poster and the caption <track>s come in the server's markup with the same preview token
 * (ADR 0329); the first track is shown, as the study player does, once the player is attached.
 */
import Hls from "hls.js/light";

function attach(element, args) {
  const video = element.querySelector("video[data-hls]");
  if (!video || video.dataset.attached) {
    return;
  }
  video.dataset.attached = "true";
  const url = (args && args.hls) || video.dataset.hls;
  if (Hls.isSupported()) {
    const hls = new Hls({ capLevelToPlayerSize: true, maxBufferLength: 30 });
    hls.on(Hls.Events.ERROR, (_event, data) => {
      if (data.fatal) {
        video.dataset.previewError = (data.response && String(data.response.code)) || data.details;
        hls.destroy();
      }
    });
    hls.loadSource(url);
    hls.attachMedia(video);
    video.dataset.player = "hls.js";
  } else if (video.canPlayType("application/vnd.apple.mpegurl")) {
    video.src = url;
    video.dataset.player = "native";
  }
  const first = video.textTracks && video.textTracks[0];
  if (first && first.mode !== "showing") {
    first.mode = "showing";
  }
}

window.XueshiVideoPreview = function XueshiVideoPreview(runtime, element, args) {
  attach(element.querySelector ? element : document, args);
};
