/* Draws each figure's chart with Apache ECharts from the data in #analytics-chart-data (json_script).
   Without ECharts (npm assets not installed) nothing is drawn and the tables stay: they are the data. */
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("analytics-chart-data");
    if (!source || typeof window.echarts === "undefined") { return; }
    var charts = JSON.parse(source.textContent);
    var rtl = document.documentElement.dir === "rtl";
    var font = getComputedStyle(document.body).fontFamily;
    // Patterns as well as colours (decal): series stay distinguishable without colour.
    var aria = { enabled: true, decal: { show: true } };
    charts.forEach(function (chart) {
      var element = document.getElementById(chart.id);
      if (!element || chart.labels.length === 0) { return; }
      if (chart.kind === "heatmap") {  // a row of cells needs its height, however many rows
        element.style.height = Math.max(288, 32 * chart.labels.length + 96) + "px";
      }
      // Canvas, and tooltips drawn inside it (richText): no HTML with style="" that the policy would refuse.
      var instance = window.echarts.init(element, null, { renderer: "canvas" });
      var option;
      if (chart.kind === "funnel") {
        option = {
          aria: aria, textStyle: { fontFamily: font }, tooltip: { trigger: "item", renderMode: "richText" },
          series: [{ type: "funnel", sort: "none", left: "10%", width: "80%", label: { show: true, position: "inside" },
                     data: chart.labels.map(function (label, index) { return { name: label, value: chart.series[0].values[index] }; }) }]
        };
      } else if (chart.kind === "heatmap") {
        // Rows x columns; every cell carries its number as a label, so colour is never the only cue.
        var cells = [];
        var highest = 0;
        chart.series.forEach(function (series, column) {
          series.values.forEach(function (value, row) {
            if (value !== null) { cells.push([column, row, value]); highest = Math.max(highest, value); }
          });
        });
        option = {
          aria: aria, textStyle: { fontFamily: font }, tooltip: { trigger: "item", renderMode: "richText" },
          grid: { containLabel: true, left: 8, right: 8, top: 8, bottom: 48 },
          xAxis: { type: "category", data: chart.series.map(function (series) { return series.name; }), inverse: rtl,
                   axisLabel: { interval: 0, rotate: chart.series.length > 4 ? 45 : 0, width: 90, overflow: "truncate" } },
          yAxis: { type: "category", data: chart.labels, inverse: true, position: rtl ? "right" : "left",
                   axisLabel: { width: 120, overflow: "truncate" } },
          visualMap: { min: 0, max: Math.max(highest, 1), calculable: false, orient: "horizontal", left: "center",
                       bottom: 0, itemHeight: 80 },
          series: [{ type: "heatmap", data: cells, label: { show: true },
                     emphasis: { itemStyle: { borderColor: "#000", borderWidth: 1 } } }]
        };
      } else {
        var stacked = chart.kind === "stacked";
        option = {
          aria: aria, textStyle: { fontFamily: font }, tooltip: { trigger: "axis", renderMode: "richText" },
          legend: { show: chart.series.length > 1, type: "scroll", bottom: 0 },
          grid: { containLabel: true, left: 8, right: 8, top: 8, bottom: chart.series.length > 1 ? 32 : 8 },
          xAxis: { type: "value", inverse: rtl },
          yAxis: { type: "category", data: chart.labels, inverse: true, position: rtl ? "right" : "left",
                   axisLabel: { width: 120, overflow: "truncate" } },
          series: chart.series.map(function (series) {
            return { type: "bar", name: series.name, data: series.values, stack: stacked ? "total" : undefined };
          })
        };
      }
      instance.setOption(option);
      window.addEventListener("resize", function () { instance.resize(); });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
}());
