/* Supply-and-demand view (dashboards/supply.html): one horizontal bar chart per group of the chosen dimension —
   needs (satisfiable + unmet, stacked) and pooled patents (with demand + cold, stacked). Clicking an unmet or a cold
   bar opens that group's drill-down list; the table under the chart holds the same links for keyboards. */
(function () {
  "use strict";
  var box = document.querySelector("[data-testid=supply-chart]");
  var source = document.getElementById("supply-figures");
  if (!box || !source || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  var urls = document.getElementById("supply-urls").dataset;
  var rows = data.rows.slice().reverse(); // first group on top
  var labels = data.labels; // open, satisfiable, unmet, in demand, cold
  var measures = [
    { key: "satisfiable", name: labels[1], stack: "needs", color: "#59cd90" },
    { key: "unmet", name: labels[2], stack: "needs", color: "#f79d84", drill: urls.unmet },
    { key: "patents_in_demand", name: labels[3], stack: "patents", color: "#1f5fa8" },
    { key: "cold", name: labels[4], stack: "patents", color: "#b0b7c0", drill: urls.cold }
  ];
  var chart = echarts.init(box, null, { renderer: "svg" });
  var narrow = box.clientWidth < 480;
  box.style.height = Math.max(320, rows.length * 44 + 80) + "px";
  chart.resize();
  chart.setOption({
    animation: false,
    legend: { top: 0, type: "scroll" },
    grid: { left: 8, right: 16, top: narrow ? 56 : 32, bottom: 8, containLabel: true },
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", data: rows.map(function (r) { return r.label; }),
      axisLabel: { width: narrow ? 72 : 140, overflow: "truncate" } },
    series: measures.map(function (m) {
      return { name: m.name, type: "bar", stack: m.stack, itemStyle: { color: m.color }, barMaxWidth: 18,
        cursor: m.drill ? "pointer" : "default", data: rows.map(function (r) { return r[m.key]; }) };
    })
  });
  chart.on("click", function (event) {
    var m = measures[event.seriesIndex];
    if (!m || !m.drill || !event.value) { return; }
    var row = rows[event.dataIndex];
    window.location.href = m.drill + "?dim=" + encodeURIComponent(data.dimension) + "&key=" + encodeURIComponent(row.key);
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
