// Behaviour every page shares, bound here rather than in on…= attributes (the Content-Security-Policy allows
// no inline script): the language switch submits on change, a [data-print] button prints the page.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("select[data-autosubmit]") && target.form) { target.form.submit(); }
  });
  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-print]") : null;
    if (target) { window.print(); }
  });
})();
