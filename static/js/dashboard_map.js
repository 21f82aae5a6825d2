/* The bureau's map (dashboards/geo.py, json_script "dashboard-map"): the province bureau sees the province's cities
   shaded by the chosen measure (已入库专利 / 对接请求 / 已签约), a city bureau its districts as bars (no licensed district
   outlines are vendored). A click on a city or district opens its drill-down list. The outlines are the vendored
   static file named by the container's data-geo-url (static/vendor/echarts/maps/, see PROVENANCE.md there), loaded
   from this site, never from elsewhere. The printable report draws the map as SVG (data-chart-renderer="svg").
   Also here: choosing a city in the filter form narrows its institution list to the city's institutions (without
   a script the form does the same on reload). */
(function () {
  "use strict";
  var numberFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });

  function json(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  // The filter form: the institutions of the chosen city only (all of the scope with no city chosen).
  function narrowInstitutions() {
    var institutions = json("dashboard-institutions");
    var city = document.getElementById("id_city");
    var select = document.getElementById("id_institution");
    if (!institutions || !city || !select) { return; }
    var blank = select.options[0].cloneNode(true);
    // on load the institution applied stays listed even if it lies in another city (as the server lists it);
    // once the city changes, only the city's institutions are offered
    function rebuild(onLoad) {
      var chosen = select.value;
      var keep = false;
      select.replaceChildren(blank.cloneNode(true));
      institutions.forEach(function (row) {
        var applied = onLoad === true && String(row.pk) === chosen;
        if (city.value && row.city !== city.value && !applied) { return; }
        var option = document.createElement("option");
        option.value = String(row.pk);
        option.textContent = row.name;
        if (option.value === chosen) { option.selected = true; keep = true; }
        select.appendChild(option);
      });
      if (!keep) { select.value = ""; }
    }
    city.addEventListener("change", function () { rebuild(false); });
    rebuild(true);
  }

  function nodesTooltip(lines) {
    var nodes = [];
    lines.forEach(function (text, i) {
      if (i > 0) { nodes.push(document.createElement("br")); }
      nodes.push(document.createTextNode(text));
    });
    return nodes;
  }

  function drawMap() {
    var data = json("dashboard-map");
    var el = document.querySelector("[data-map]");
    if (!data || !el || typeof echarts === "undefined") { return; }
    var svg = !!document.querySelector("[data-chart-renderer=svg]");
    var labels = {};
    data.measures.forEach(function (m) { labels[m.key] = m.label; });
    var rows = {};
    data.rows.forEach(function (row) { rows[row.code] = row; });
    var select = document.querySelector("[data-map-measure]");
    var apply = document.querySelector("[data-map-apply]");
    if (apply) { apply.hidden = true; } // the select switches the measure at once
    var measure = data.measure;

    function mapOption() {
      var values = data.areas.map(function (area) {
        var row = rows[area.city];
        return {
          name: area.name,
          value: row ? row[measure] : 0,
          url: row ? row.urls[measure] : "",
          city: row ? row.label : ""
        };
      });
      var max = Math.max.apply(null, values.map(function (v) { return v.value; }).concat([1]));
      return {
        animation: !svg,
        tooltip: {
          trigger: "item", confine: true,
          formatter: function (p) {
            var lines = [p.name + (p.data && p.data.city && p.data.city !== p.name ? "（" + p.data.city + "）" : "")];
            lines.push(labels[measure] + ": " + numberFormat.format(p.data ? p.data.value : 0));
            return nodesTooltip(lines);
          }
        },
        visualMap: {
          type: "continuous", min: 0, max: max, left: 8, bottom: 8, itemHeight: 90, calculable: false,
          text: [numberFormat.format(max), "0"], inRange: { color: ["#e8f0fa", "#1f5fa8"] },
          formatter: function (v) { return numberFormat.format(Math.round(v)); }
        },
        series: [{
          name: labels[measure], type: "map", map: "hubei", roam: false, selectedMode: false,
          label: { show: el.clientWidth >= 480, fontSize: 10, color: "#223" },
          emphasis: { label: { show: true }, itemStyle: { areaColor: "#fac05e" } },
          data: values
        }]
      };
    }

    function barOption() {
      var items = data.rows;
      return {
        animation: !svg,
        color: ["#1f5fa8"],
        tooltip: {
          trigger: "axis", confine: true,
          formatter: function (params) {
            return nodesTooltip([params[0].name, labels[measure] + ": " + numberFormat.format(params[0].value)]);
          }
        },
        grid: { containLabel: true, left: 8, right: 24, top: 10, bottom: 8 },
        xAxis: { type: "value", minInterval: 1, axisLabel: { formatter: function (v) { return numberFormat.format(v); } } },
        yAxis: { type: "category", inverse: true, axisLabel: { interval: 0 }, data: items.map(function (r) { return r.label; }) },
        series: [{
          name: labels[measure], type: "bar",
          data: items.map(function (r) { return { value: r[measure], url: r.urls[measure] }; })
        }]
      };
    }

    function draw(chart) {
      chart.setOption(data.level === "province" ? mapOption() : barOption(), { notMerge: true });
    }

    function start() {
      var chart = echarts.init(el, null, { renderer: svg ? "svg" : "canvas" });
      draw(chart);
      chart.on("click", function (params) {
        if (params.data && params.data.url) { window.location.href = params.data.url; }
      });
      if (select) {
        select.addEventListener("change", function () {
          measure = select.value;
          draw(chart);
        });
      }
      window.addEventListener("resize", function () { chart.resize(); });
      window.dashboardMap = chart;
    }

    if (data.level !== "province") {
      el.classList.toggle("tall", data.rows.length > 8);
      start();
      return;
    }
    fetch(el.dataset.geoUrl, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("map outlines: HTTP " + response.status); }
        return response.json();
      })
      .then(function (geo) {
        echarts.registerMap("hubei", geo);
        start();
      })
      .catch(function () {
        el.textContent = el.dataset.failed || "";
        el.hidden = true; // the table below still lists every city
      });
  }

  narrowInstitutions();
  drawMap();
})();
