/* Inventory list: select all on the page, and show only the inputs the chosen bulk action needs. */
(function () {
  "use strict";
  var form = document.querySelector("[data-bulk-form]");
  if (!form) { return; }
  var boxes = form.querySelectorAll("input[name=patents]");
  var all = form.querySelector("[data-select-all]");
  var action = form.querySelector("select[name=action]");
  var counter = form.querySelector("[data-selected-count]");

  function count() {
    var n = 0;
    boxes.forEach(function (box) { if (box.checked) { n += 1; } });
    if (counter) { counter.textContent = n ? (counter.getAttribute("data-label") || "{n}").replace("{n}", n) : ""; }
    if (all) { all.checked = n > 0 && n === boxes.length; all.indeterminate = n > 0 && n < boxes.length; }
  }

  function toggleInputs() {
    form.querySelectorAll("[data-bulk-for]").forEach(function (part) {
      part.hidden = part.getAttribute("data-bulk-for") !== action.value;
    });
  }

  if (all) {
    all.addEventListener("change", function () {
      boxes.forEach(function (box) { box.checked = all.checked; });
      count();
    });
  }
  boxes.forEach(function (box) { box.addEventListener("change", count); });
  if (action) { action.addEventListener("change", toggleInputs); toggleInputs(); }
  count();
})();
