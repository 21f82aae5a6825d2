/* Import progress: poll the job's JSON summary every 500 ms; reload the page when the step changes. */
(function () {
  "use strict";
  var box = document.querySelector("[data-import-progress]");
  if (!box) { return; }
  var url = box.getAttribute("data-status-url");
  var rendered = box.getAttribute("data-status");
  var bar = box.querySelector("progress");
  var label = box.querySelector("[data-progress-label]");
  var statusText = box.querySelector("[data-status-text]");
  var VALIDATING = ["pending", "validating"];
  var FINISHED = ["done", "rejected", "failed", "expired"];

  function show(percent) {
    if (!bar || VALIDATING.indexOf(rendered) !== -1) { return; }
    bar.value = percent;
    bar.textContent = percent + "%";
    if (label) { label.textContent = percent + "%"; }
  }

  function stepChanged(status) {
    if (VALIDATING.indexOf(rendered) !== -1) { return VALIDATING.indexOf(status) === -1; }
    return FINISHED.indexOf(status) !== -1;
  }

  function tick() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (job) {
        show(job.status === "done" ? 100 : job.progress);
        if (statusText) { statusText.textContent = job.status_display; }
        if (stepChanged(job.status)) {
          window.setTimeout(function () { window.location.reload(); }, 300);
          return;
        }
        window.setTimeout(tick, 500);
      })
      .catch(function () { window.setTimeout(tick, 2000); });
  }

  window.setTimeout(tick, 500);
})();
