// Matching runs page: poll the runs' status while one is pending or running and update each row in place
// (phase, chunks done / total, percentage, elapsed; counts and the 当前 tag once done). No inline script: CSP.
(function () {
  "use strict";
  var table = document.getElementById("runs");
  if (!table || !table.dataset.statusUrl) { return; }
  // thousands separators as the server renders them (core.formatting): 13,460 · 29.93
  var numbers = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });
  function shown(value) {
    if (value === null || value === undefined || value === "") { return "—"; }
    return typeof value === "number" ? numbers.format(value) : String(value);
  }
  function text(row, cls, value) {
    var cell = row.querySelector("." + cls);
    if (cell) { cell.textContent = shown(value); }
  }
  function render(run) {
    var row = table.querySelector('tr[data-run="' + run.pk + '"]');
    if (!row) { return; }
    row.dataset.status = run.status;
    row.querySelector("progress").value = run.progress;
    text(row, "pct", run.progress);
    text(row, "status", run.status_display);
    text(row, "phase", run.phase);
    text(row, "chunks", run.chunks_total ? shown(run.chunks_done) + " / " + shown(run.chunks_total) : null);
    text(row, "elapsed", run.wall_s !== null && run.wall_s !== undefined ? run.wall_s : run.elapsed_s);
    var counts = run.counts || {};
    text(row, "patents", counts.patents);
    text(row, "enterprises", counts.enterprises);
    text(row, "recommendations", counts.recommendations);
    var id = row.querySelector(".id");
    var tag = id.querySelector(".tag");
    if (run.is_current && !tag) {
      tag = document.createElement("span");
      tag.className = "tag";
      tag.textContent = table.dataset.labelCurrent;
      id.appendChild(document.createTextNode(" "));
      id.appendChild(tag);
    } else if (!run.is_current && tag) {
      tag.remove();
    }
  }
  function poll() {
    fetch(table.dataset.statusUrl, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (d) {
      var running = false;
      d.runs.forEach(function (run) {
        render(run);
        if (run.status === "pending" || run.status === "running") { running = true; }
      });
      table.dataset.polling = running ? "yes" : "no";
      if (running) { setTimeout(poll, 1000); }
    }).catch(function () { setTimeout(poll, 3000); });
  }
  poll();
})();
