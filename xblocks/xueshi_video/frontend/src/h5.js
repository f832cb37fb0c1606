/**
 * A block's H5 page (its `h5` handler: phone browsers, WeChat, the apps' webview) has no XBlock
 * runtime. `onH5Boot(start)` builds a minimal one from the page's boot JSON (handler URLs, the
 * script's arguments, the CSRF token) and calls `start(runtime, element, args)` once the page is
 * parsed. Shared by the video player and the live page (ADR 0357).
 */
export function onH5Boot(start) {
  const boot = () => {
    const element = document.querySelector("[data-xueshi-h5]");
    const bootNode = document.getElementById("xueshi-h5-boot");
    if (!element || !bootNode) {
      return;
    }
    const data = JSON.parse(bootNode.textContent);
    const cookie = () => (document.cookie.match(/(?:^|; )csrftoken=([^;]+)/) || [])[1];
    const runtime = {
      handlerUrl: (el, name) => data.handlers[name],
      csrfToken: () => decodeURIComponent(cookie() || "") || data.csrf,
    };
    start(runtime, element, data.args);
  };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", boot);
  } else {
    boot();
  }
}
