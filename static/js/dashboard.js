/* Bureau dashboard: draws every chart of the registry (json_script "dashboard-charts") into its [data-chart]
   container with ECharts (vendored, static/vendor/echarts). Figures come from the page (json_script); clicking a bar, slice or funnel stage opens its drill-down list.
   Numbers read as on the rest of the page (core/formatting.py): 13,460 in both languages. Long category names
   (English industries, decline reasons) are wrapped or cut to the space the chart has; tooltips show them whole. */
(function () {
  "use strict";
  // One chart registry (dashboards/charts.py), serialised by the page: each entry says which figures to draw and how.
  var figures = JSON.parse(document.getElementById("dashboard-figures").textContent);
  var registry = JSON.parse(document.getElementById("dashboard-charts").textContent);
  var palette = ["#1f5fa8", "#3fa7d6", "#59cd90", "#fac05e", "#f79d84", "#8e7dbe", "#4d9078", "#c06c84", "#7a8b99", "#b0b7c0"];
  var NARROW = 480; // px: below this a chart puts its legend underneath and gives labels less room
  // The page's convention (patent_platform/formats): a comma every three digits, a point for decimals, both languages.
  var numberFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });

  function fmt(value) {
    return value === null || value === undefined || value === "" ? "—" : numberFormat.format(value);
  }

  // Tooltips are DOM nodes, not HTML: ECharts writes a string with innerHTML, and the style attribute of its series
  // markers (p.marker) is refused by the Content-Security-Policy. Text goes in as text (no escaping needed); the
  // marker is a span styled by dashboards.css (.chart-marker) with its colour set through element.style (CSSOM,
  // which the policy allows).
  function marker(color) {
    var dot = document.createElement("span");
    dot.className = "chart-marker";
    dot.style.backgroundColor = color;
    return dot;
  }

  // lines: arrays of strings and nodes; returns the nodes, lines separated by <br>
  function tooltipNodes(lines) {
    var nodes = [];
    lines.forEach(function (parts, i) {
      if (i > 0) { nodes.push(document.createElement("br")); }
      parts.forEach(function (part) {
        nodes.push(typeof part === "string" ? document.createTextNode(part) : part);
      });
    });
    return nodes;
  }

  // Axis tooltips: the full category name, then each series with its number formatted.
  function axisTooltip(params) {
    var lines = [[String(params[0].name)]];
    params.forEach(function (p) {
      var value = p.value !== null && typeof p.value === "object" ? p.value.value : p.value;
      lines.push([marker(p.color), (params.length > 1 ? p.seriesName + ": " : "") + fmt(value)]);
    });
    return tooltipNodes(lines);
  }

  function bar(items, spec, width) {
    var horizontal = spec.horizontal;
    var narrow = width < NARROW;
    var categories = items.map(function (r) { return r.label; });
    // Horizontal bars: names wrap within a band a third of the chart wide (two lines, then cut with …);
    // vertical bars: names slanted and cut to what fits under a bar.
    var labelWidth = horizontal ? Math.max(70, Math.min(170, Math.round(width * 0.32))) : (narrow ? 60 : 90);
    var axisCategory = {
      type: "category", data: categories,
      axisLabel: horizontal
        ? { interval: 0, width: labelWidth, overflow: "break", lineHeight: 13, ellipsis: "…" }
        : { interval: 0, rotate: 30, width: labelWidth, overflow: "truncate", ellipsis: "…" }
    };
    var axisValue = { type: "value", minInterval: 1, axisLabel: { formatter: fmt } };
    if (horizontal) { axisCategory.inverse = true; }
    return {
      color: palette,
      tooltip: { trigger: "axis", confine: true, formatter: axisTooltip },
      legend: spec.series.length > 1 ? { type: "scroll" } : undefined,
      grid: { containLabel: true, left: 8, right: 24, top: spec.series.length > 1 ? 30 : 15, bottom: 8 },
      xAxis: horizontal ? axisValue : axisCategory,
      yAxis: horizontal ? axisCategory : axisValue,
      series: spec.series.map(function (s) {
        return { name: s.label, type: "bar", data: items.map(function (r) { return { value: r[s.key], url: r.url }; }) };
      })
    };
  }

  function pie(items, spec, width) {
    var narrow = width < NARROW;
    // The legend carries the names (cut to its column, whole in its tooltip); slices carry their share. At phone
    // width the legend is a scrolling list under the pie, beside it otherwise.
    var legendWidth = narrow ? width - 60 : Math.round(width * 0.34);
    var legendText = { width: legendWidth, overflow: "truncate", ellipsis: "…" };
    return {
      color: palette,
      tooltip: {
        trigger: "item", confine: true,
        formatter: function (p) {
          return tooltipNodes([[marker(p.color), p.name + ": " + fmt(p.value) + " (" + fmt(p.percent) + "%)"]]);
        }
      },
      legend: narrow
        ? { type: "scroll", orient: "vertical", left: 8, bottom: 0, height: 96, tooltip: { show: true }, textStyle: legendText }
        : { type: "scroll", orient: "vertical", right: 4, top: "middle", tooltip: { show: true }, textStyle: legendText },
      series: [{
        type: "pie",
        radius: narrow ? ["26%", "52%"] : ["35%", "70%"],
        center: narrow ? ["50%", "35%"] : [Math.round((width - legendWidth - 40) / 2) + "px", "50%"],
        label: {
          show: true, position: "inside", color: "#fff", fontSize: 11,
          formatter: function (p) { return p.percent >= 6 ? Math.round(p.percent) + "%" : ""; }
        },
        labelLine: { show: false },
        data: items.map(function (r) { return { name: r.label, value: r.count, url: r.url }; })
      }]
    };
  }

  function funnel(items) {
    return {
      color: palette,
      tooltip: {
        trigger: "item", confine: true,
        formatter: function (p) {
          return tooltipNodes([[p.name + ": " + fmt(p.value) + (p.data.share !== null ? " (" + fmt(p.data.share) + "%)" : "")]]);
        }
      },
      series: [{
        type: "funnel", sort: "none", left: "10%", width: "80%", minSize: "8%", gap: 2,
        label: { show: true, position: "inside", formatter: function (p) { return p.name + " " + fmt(p.value); } },
        data: items.map(function (r) { return { name: r.label, value: r.count, share: r.share, url: r.url }; })
      }]
    };
  }

  function trend(items, spec) {
    // the first series (new patents) as bars on the left axis; the activity (follows, requests, signings) as lines
    // on the right axis, whose scale is far smaller
    var bars = spec.series[0], lines = spec.series.slice(1);
    return {
      color: palette,
      tooltip: { trigger: "axis", confine: true, formatter: axisTooltip },
      legend: {},
      grid: { containLabel: true, left: 8, right: 8, top: 48, bottom: 8 },
      xAxis: { type: "category", data: items.map(function (r) { return r.month; }) },
      yAxis: [
        { type: "value", minInterval: 1, name: bars.label, axisLabel: { formatter: fmt } },
        { type: "value", minInterval: 1, axisLabel: { formatter: fmt } }
      ],
      series: [
        { name: bars.label, type: "bar", data: items.map(function (r) { return r[bars.key]; }) }
      ].concat(lines.map(function (line) {
        return { name: line.label, type: "line", yAxisIndex: 1, smooth: true,
                 data: items.map(function (r) { return r[line.key]; }) };
      }))
    };
  }

  var kinds = { bar: bar, pie: pie, funnel: funnel, trend: trend };

  // The printable report asks for SVG (data-chart-renderer="svg"): vector charts that print sharp, drawn at once
  // (no entry animation) so that printing right after loading catches them whole.
  var svgHost = document.querySelector("[data-chart-renderer=svg]");
  var renderer = svgHost ? "svg" : "canvas";
  var charts = [];
  registry.forEach(function (spec) {
    var el = document.querySelector('[data-chart="' + spec.key + '"]');
    var build = kinds[spec.kind];
    if (!el || !build) { return; }
    var chart = echarts.init(el, null, { renderer: renderer });
    var option = build(figures[spec.key], spec, el.clientWidth);
    if (svgHost) { option.animation = false; }
    chart.setOption(option);
    chart.on("click", function (params) {
      if (params.data && params.data.url) { window.location.href = params.data.url; }
    });
    chart.dashboardSpec = spec;
    chart.dashboardWidth = el.clientWidth;
    charts.push(chart);
  });
  // On resize the layout follows the new width (legend position, label room), not only the canvas size.
  var resizeTimer = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () {
      charts.forEach(function (c) {
        c.resize();
        var spec = c.dashboardSpec;
        var width = c.getDom().clientWidth;
        if (width === c.dashboardWidth) { return; }
        c.dashboardWidth = width;
        // series merge in place (no re-entry animation); the legend is replaced (beside ↔ under the pie)
        c.setOption(kinds[spec.kind](figures[spec.key], spec, width), { replaceMerge: ["legend"] });
      });
    }, 150);
  });
  window.dashboardCharts = charts;
})();
