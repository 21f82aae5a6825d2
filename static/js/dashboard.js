/* Bureau dashboard: draws every [data-chart] container with ECharts (vendored, static/vendor/echarts).
   Figures come from the page (json_script); clicking a bar, slice or funnel stage opens its drill-down list. */
(function () {
  "use strict";
  var figures = JSON.parse(document.getElementById("dashboard-figures").textContent);
  var labels = JSON.parse(document.getElementById("dashboard-labels").textContent);
  var palette = ["#1f5fa8", "#3fa7d6", "#59cd90", "#fac05e", "#f79d84", "#8e7dbe", "#4d9078", "#c06c84", "#7a8b99", "#b0b7c0"];

  function bar(items, series, opts) {
    opts = opts || {};
    var categories = items.map(function (r) { return r.label; });
    var axisCategory = { type: "category", data: categories, axisLabel: { interval: 0, rotate: opts.horizontal ? 0 : 30 } };
    var axisValue = { type: "value", minInterval: 1 };
    if (opts.horizontal) { axisCategory.inverse = true; }
    return {
      color: palette,
      tooltip: { trigger: "axis" },
      legend: series.length > 1 ? {} : undefined,
      grid: { left: opts.horizontal ? 150 : 50, right: 20, top: series.length > 1 ? 30 : 15, bottom: opts.horizontal ? 25 : 70 },
      xAxis: opts.horizontal ? axisValue : axisCategory,
      yAxis: opts.horizontal ? axisCategory : axisValue,
      series: series.map(function (key) {
        return { name: labels[key] || key, type: "bar", data: items.map(function (r) { return { value: r[key], url: r.url }; }) };
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

  var builders = {
    cities: function () { return bar(figures.cities, ["inventoried", "pooled"]); },
    institutions: function () { return bar(figures.institutions, ["inventoried", "pooled", "signed"], { horizontal: true }); },
    types: function () { return pie(figures.types); },
    industries: function () { return pie(figures.industries); },
    funnel: function () {
      return {
        color: palette,
        tooltip: { trigger: "item", formatter: function (p) { return p.name + ": " + p.value + (p.data.share !== null ? " (" + p.data.share + "%)" : ""); } },
        series: [{
          type: "funnel", sort: "none", left: "10%", width: "80%", minSize: "8%", gap: 2,
          label: { show: true, position: "inside", formatter: "{b} {c}" },
          data: figures.funnel.map(function (r) { return { name: r.label, value: r.count, share: r.share, url: r.url }; })
        }]
      };
    },
    trends: function () {
      return {
        color: palette,
        tooltip: { trigger: "axis" },
        legend: {},
        grid: { left: 50, right: 50, top: 30, bottom: 40 },
        xAxis: { type: "category", data: figures.trends.map(function (r) { return r.month; }) },
        yAxis: [{ type: "value", minInterval: 1, name: labels.patents }, { type: "value", minInterval: 1, name: labels.dockings }],
        series: [
          { name: labels.patents, type: "bar", data: figures.trends.map(function (r) { return r.patents; }) },
          { name: labels.dockings, type: "line", yAxisIndex: 1, smooth: true, data: figures.trends.map(function (r) { return r.dockings; }) }
        ]
      };
    },
    response_times: function () { return bar(figures.response_times, ["count"]); },
    decline_reasons: function () { return bar(figures.decline_reasons, ["count"], { horizontal: true }); }
  };

  var charts = [];
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var build = builders[el.dataset.chart];
    if (!build) { return; }
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(build());
    chart.on("click", function (params) {
      if (params.data && params.data.url) { window.location.href = params.data.url; }
    });
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  window.dashboardCharts = charts;
})();
