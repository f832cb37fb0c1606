/**
 * Strings of the player and editor. English is the source; the block's compiled catalog
 * (`public/js/translations/<locale>/text.js`, generated from `conf/locale/<locale>/LC_MESSAGES/djangojs.po`,
 * or the LMS's own compiled copy) defines `window.XueshiVideoI18N`, Django's JavaScript gettext
 * under the block's `i18n_js_namespace`, before the bundle loads (ADR 0081). Without it the
 * page shows English.
 */

/** The block's `i18n_js_namespace` (``XueshiVideoBlock.i18n_js_namespace``). */
export const NAMESPACE = "XueshiVideoI18N";

function catalog() {
  const found = typeof window !== "undefined" ? window[NAMESPACE] : undefined;
  return found && typeof found.gettext === "function" ? found : null;
}

/** Translate one message (unknown messages stay English). */
export function gettext(message) {
  const found = catalog();
  return found ? found.gettext(message) : message;
}

/** Translate a message whose form depends on `count` (English: one / other; Chinese: one form). */
export function ngettext(singular, plural, count) {
  const found = catalog();
  if (found && typeof found.ngettext === "function") {
    return found.ngettext(singular, plural, count);
  }
  return count === 1 ? singular : plural;
}

/**
 * Replace `{name}` placeholders (as edx-platform's `StringUtils.interpolate`); used after
 * `gettext` so word order can change per language.
 */
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
