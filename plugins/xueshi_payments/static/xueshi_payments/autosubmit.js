// Posts the bank's signed pay form (UnionPay online banking) as soon as the order page opens
// after checkout. A file rather than an inline script, so a Content-Security-Policy of
// "script-src 'self'" allows it; without JavaScript the visible button posts the same form.
(function () {
  "use strict";
  var form = document.querySelector("form[data-auto-submit]");
  if (form) {
    form.submit();
  }
})();
