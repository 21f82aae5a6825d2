// Behaviour every page shares, bound here rather than in on…= attributes (the Content-Security-Policy allows
// no inline script): the language switch submits on change, a [data-print] button prints the page, and the menu
// marks the link of the page you are on (aria-current="page": the longest link that starts the address; 首页 only
// on the home page itself).
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

  function markCurrentMenuLink() {
    var here = window.location.pathname, best = null, bestLength = 0;
    document.querySelectorAll(".mainnav a[href]").forEach(function (link) {
      var path = link.pathname;
      var matches = path === "/" ? here === "/" : here.indexOf(path) === 0;
      if (matches && path.length > bestLength) { best = link; bestLength = path.length; }
    });
    if (best) { best.setAttribute("aria-current", "page"); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", markCurrentMenuLink);
  } else {
    markCurrentMenuLink();
  }
})();
