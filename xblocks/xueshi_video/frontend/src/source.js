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
export function attachSource(video, sources, startPosition = -1) {
  const mse = Hls.isSupported();
  for (const source of sources || []) {
    if (source.type === HLS_TYPE) {
      if (mse) {
        const hls = new Hls({
          enableWorker: true, capLevelToPlayerSize: true, maxBufferLength: 30, startPosition,
        });
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

/** A URL without its query string: the same media whoever it is signed for. */
function bare(url) {
  return String(url || "").split("?")[0];
}

/**
 * Switch to the same source signed for the playback session just opened (ADR 0053: only what is
 * delivered under the session's signature earns it credit), keeping the position. Resolves to
 * the new attachment once its metadata loaded and the position is restored (or at once when the
 * URL did not change, e.g. a CDN this deployment does not sign).
 */
export function switchSource(video, current, sources, seek) {
  const next = (sources || []).find((s) => bare(s.url) === bare(current && current.url));
  if (!next || next.url === current.url) {
    return Promise.resolve(current);
  }
  const at = video.currentTime;
  if (current.hls) {
    current.hls.destroy();
  }
  return new Promise((resolve) => {
    let attached = null;
    const done = () => {
      if (at > 0 && Math.abs(video.currentTime - at) > 0.5) {
        seek(at);
      }
      resolve(attached);
    };
    video.addEventListener("loadedmetadata", done, { once: true });
    attached = attachSource(video, [next], at);
    if (!attached) {
      video.removeEventListener("loadedmetadata", done);
      resolve(current);
    }
  });
}
