// Matching runs page: poll the runs' status while one is pending or running (no inline script: CSP).
(function () {
  "use strict";
  var table = document.getElementById("runs");
  if (!table || !table.dataset.statusUrl) { return; }
  function poll() {
    fetch(table.dataset.statusUrl, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (d) {
      var running = false;
      d.runs.forEach(function (run) {
        var row = document.querySelector('tr[data-run="' + run.pk + '"]');
        if (!row) { return; }
        row.querySelector("progress").value = run.progress;
        row.querySelector(".pct").textContent = run.progress;
        row.querySelector(".status").textContent = run.status_display;
        if (run.status === "pending" || run.status === "running") { running = true; }
      });
      if (running) { setTimeout(poll, 1000); }
    });
  }
  poll();
})();
