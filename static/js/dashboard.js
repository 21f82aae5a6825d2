/* Bureau dashboard: draws every chart of the registry (json_script "dashboard-charts") into its [data-chart]
   container with ECharts (vendored, static/vendor/echarts). Figures come from the page (json_script); clicking a bar, slice or funnel stage opens its drill-down list. */
(function () {
  "use strict";
  // One chart registry (dashboards/charts.py), serialised by the page: each entry says which figures to draw and how.
  var figures = JSON.parse(document.getElementById("dashboard-figures").textContent);
  var registry = JSON.parse(document.getElementById("dashboard-charts").textContent);
  var palette = ["#1f5fa8", "#3fa7d6", "#59cd90", "#fac05e", "#f79d84", "#8e7dbe", "#4d9078", "#c06c84", "#7a8b99", "#b0b7c0"];

  function bar(items, spec) {
    var horizontal = spec.horizontal;
    var categories = items.map(function (r) { return r.label; });
    var axisCategory = { type: "category", data: categories, axisLabel: { interval: 0, rotate: horizontal ? 0 : 30 } };
    var axisValue = { type: "value", minInterval: 1 };
    if (horizontal) { axisCategory.inverse = true; }
    return {
      color: palette,
      tooltip: { trigger: "axis" },
      legend: spec.series.length > 1 ? {} : undefined,
      grid: { left: horizontal ? 150 : 50, right: 20, top: spec.series.length > 1 ? 30 : 15, bottom: horizontal ? 25 : 70 },
      xAxis: horizontal ? axisValue : axisCategory,
      yAxis: horizontal ? axisCategory : axisValue,
      series: spec.series.map(function (s) {
        return { name: s.label, type: "bar", data: items.map(function (r) { return { value: r[s.key], url: r.url }; }) };
      })
    };
  }

  function pie(items) {
    return {
      color: palette,
      tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
      legend: { type: "scroll", orient: "vertical", right: 0, top: "middle" },
      series: [{
        type: "pie", radius: ["35%", "70%"], center: ["38%", "50%"],
        data: items.map(function (r) { return { name: r.label, value: r.count, url: r.url }; })
      }]
    };
  }

  function funnel(items) {
    return {
      color: palette,
      tooltip: { trigger: "item", formatter: function (p) { return p.name + ": " + p.value + (p.data.share !== null ? " (" + p.data.share + "%)" : ""); } },
      series: [{
        type: "funnel", sort: "none", left: "10%", width: "80%", minSize: "8%", gap: 2,
        label: { show: true, position: "inside", formatter: "{b} {c}" },
        data: items.map(function (r) { return { name: r.label, value: r.count, share: r.share, url: r.url }; })
      }]
    };
  }

  function trend(items, spec) {
    var bars = spec.series[0], line = spec.series[1];
    return {
      color: palette,
      tooltip: { trigger: "axis" },
      legend: {},
      grid: { left: 50, right: 50, top: 30, bottom: 40 },
      xAxis: { type: "category", data: items.map(function (r) { return r.month; }) },
      yAxis: [{ type: "value", minInterval: 1, name: bars.label }, { type: "value", minInterval: 1, name: line.label }],
      series: [
        { name: bars.label, type: "bar", data: items.map(function (r) { return r[bars.key]; }) },
        { name: line.label, type: "line", yAxisIndex: 1, smooth: true, data: items.map(function (r) { return r[line.key]; }) }
      ]
    };
  }

  var kinds = { bar: bar, pie: pie, funnel: funnel, trend: trend };

  var charts = [];
  registry.forEach(function (spec) {
    var el = document.querySelector('[data-chart="' + spec.key + '"]');
    var build = kinds[spec.kind];
    if (!el || !build) { return; }
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(build(figures[spec.key], spec));
    chart.on("click", function (params) {
      if (params.data && params.data.url) { window.location.href = params.data.url; }
    });
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  window.dashboardCharts = charts;
})();
