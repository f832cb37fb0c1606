/*
 * The sandbox's XBlock JS runtime (version 1), shaped like the LMS's: it finds every
 * `.xblock[data-init]` (the LMS wrapper) or `.xblock-v1[data-init]` (what XBlock's own
 * `Runtime.wrap_xblock` writes), builds `runtime.handlerUrl(element, name, suffix, query)` from the
 * wrapper's data attributes, and calls the block's init function with its JSON arguments.
 */
(function () {
  "use strict";

  function csrfToken() {
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function makeRuntime(wrapper) {
    return {
      handlerUrl: function (element, handlerName, suffix, query) {
        var url = wrapper.dataset.handlerPrefix + handlerName;
        if (suffix) { url += "/" + suffix; }
        if (query) { url += "?" + query; }
        return url;
      },
      csrfToken: csrfToken,
      notify: function (name, data) {
        document.dispatchEvent(new CustomEvent("xblock-runtime-notify", { detail: { name: name, data: data } }));
      },
    };
  }

  function initBlocks() {
    document.querySelectorAll(".xblock[data-init], .xblock-v1[data-init]").forEach(function (wrapper) {
      var initFn = window[wrapper.dataset.init];
      var argsNode = wrapper.querySelector(":scope > script.xblock_json_init_args");
      var args = argsNode ? JSON.parse(argsNode.textContent) : {};
      if (typeof initFn !== "function") {
        wrapper.setAttribute("data-init-error", "missing " + wrapper.dataset.init);
        return;
      }
      initFn(makeRuntime(wrapper), wrapper, args);
      wrapper.setAttribute("data-initialized", "true");
    });
  }

  window.XueshiSandboxRuntime = { csrfToken: csrfToken, initBlocks: initBlocks };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initBlocks);
  } else {
    initBlocks();
  }
})();
