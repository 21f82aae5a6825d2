/* The phone-width menu toggle, search's 筛选 (facets) toggle and chart resizing on every page (no inline handlers:
   CSP-friendly). */
(function () {
  "use strict";

  function setUpMenu() {
    var toggle = document.querySelector("[data-menu-toggle]");
    var nav = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
    if (!nav) { return; }
    toggle.addEventListener("click", function () {
      var open = nav.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  // Search at phone width: the facets stay closed until 筛选 is tapped (responsive.css hides them only once the
  // layout is marked collapsible here, so without JavaScript they stay open). Desktop CSS hides the toggle.
  function setUpFacets() {
    var toggle = document.querySelector("[data-facets-toggle]");
    var facets = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
    var layout = toggle && toggle.closest("[data-search-layout]");
    if (!facets || !layout) { return; }
    layout.classList.add("facets-collapsible");
    toggle.addEventListener("click", function () {
      var open = facets.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  function setUp() {
    setUpMenu();
    setUpFacets();
  }

  // Every ECharts chart on the page follows the window's width (pages may add their own handlers too).
  var pending = null;
  function resizeCharts() {
    if (!window.echarts) { return; }
    document.querySelectorAll("[_echarts_instance_]").forEach(function (el) {
      var chart = window.echarts.getInstanceByDom(el);
      if (chart) { chart.resize(); }
    });
  }
  window.addEventListener("resize", function () {
    if (pending) { window.clearTimeout(pending); }
    pending = window.setTimeout(resizeCharts, 100);
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
