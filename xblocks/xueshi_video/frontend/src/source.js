/**
 * Attach the block's sources to the <video>. hls.js is used only for HLS and only where Media
 * Source Extensions exist; elsewhere (iPhone Safari, WeChat on iOS) the browser plays HLS
 * natively. Progressive files (MP4/WebM) go straight into `src`, the first one the browser can play.
 */
import Hls from "hls.js/light";

const HLS_TYPE = "application/x-mpegURL";

function canPlay(video, type) {
  if (type === HLS_TYPE) {
    return Boolean(video.canPlayType("application/vnd.apple.mpegurl") || video.canPlayType(HLS_TYPE));
  }
  return Boolean(video.canPlayType(type));
}

/**
 * Pick and attach a source. Returns {url, kind, hls} or null when nothing is playable.
 * hls.js is preferred over native HLS where MSE exists: Chromium now answers "maybe" for
 * native HLS, and one code path (hls.js) behaves the same on every desktop and Android browser.
 */
export function attachSource(video, sources) {
  const mse = Hls.isSupported();
  for (const source of sources || []) {
    if (source.type === HLS_TYPE) {
      if (mse) {
        const hls = new Hls({ enableWorker: true, capLevelToPlayerSize: true, maxBufferLength: 30 });
        hls.loadSource(source.url);
        hls.attachMedia(video);
        return { url: source.url, kind: "hls", hls };
      }
      if (canPlay(video, HLS_TYPE)) {
        video.src = source.url;
        return { url: source.url, kind: "hls", hls: null };
      }
      continue;
    }
    if (canPlay(video, source.type)) {
      video.src = source.url;
      return { url: source.url, kind: "html5", hls: null };
    }
  }
  return null;
}
