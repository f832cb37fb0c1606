// The order page's behaviour, as a file so a Content-Security-Policy of "script-src 'self'"
// allows it (no inline scripts, as autosubmit.js):
// - while the order is not final (#order[data-poll]), ask its state every 2 s and reload the page
//   when it changes, so "paid, enrolled" shows by itself;
// - inside WeChat (#jsapi-params, the signed prepay parameters as JSON), open WeChat Pay's own
//   sheet at once and again from the "Pay in WeChat" button.
(function () {
  "use strict";
  var box = document.getElementById("order");
  if (box && box.dataset.poll === "1") {
    var poll = function () {
      fetch(box.dataset.statusUrl, { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (s) {
          if (s.state !== box.dataset.state) { window.location.reload(); return; }
          if (!s.done) { setTimeout(poll, 2000); }
        })
        .catch(function () { setTimeout(poll, 5000); });
    };
    setTimeout(poll, 2000);
  }
  var params = document.getElementById("jsapi-params");
  if (params) {
    var values = JSON.parse(params.textContent);
    var pay = function () {
      window.WeixinJSBridge.invoke("getBrandWCPayRequest", values, function () {});
    };
    if (window.WeixinJSBridge) { pay(); } else { document.addEventListener("WeixinJSBridgeReady", pay, false); }
    var button = document.getElementById("jsapi-pay");
    if (button) {
      button.addEventListener("click", function () { if (window.WeixinJSBridge) { pay(); } });
    }
  }
})();
