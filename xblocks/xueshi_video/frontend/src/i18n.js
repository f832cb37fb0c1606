/**
 * Strings of the player. English is the source; `public/js/translations/<locale>/text.js`
 * defines `window.XueshiVideoI18N` (a plain {English: translation} map) before the bundle loads.
 */

function catalog() {
  return (typeof window !== "undefined" && window.XueshiVideoI18N) || {};
}

/** Translate one message (unknown messages stay English). */
export function gettext(message) {
  const translated = catalog()[message];
  return typeof translated === "string" && translated ? translated : message;
}

/** Replace `{name}` placeholders; used after `gettext` so word order can change per language. */
export function interpolate(format, values) {
  return format.replace(/\{(\w+)\}/g, (match, key) => (key in values ? String(values[key]) : match));
}

/** "m:ss" (or "h:mm:ss") for the visible clock. */
export function clock(seconds) {
  const total = Math.max(0, Math.floor(seconds || 0));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/** The slider's aria-valuetext: "X minutes Y seconds" / "X分Y秒". */
export function spokenTime(seconds) {
  const total = Math.max(0, Math.floor(seconds || 0));
  return interpolate(gettext("{minutes} minutes {seconds} seconds"), {
    minutes: Math.floor(total / 60),
    seconds: total % 60,
  });
}

/** Minutes with one decimal, from server seconds. */
export function minutes(seconds) {
  return (Math.max(0, Number(seconds) || 0) / 60).toFixed(1);
}
