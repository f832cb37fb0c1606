/* The supervisors' dashboard charts (ADR 0155): a bar chart by sub-region and a line chart by day,
 * drawn with ECharts from the figures the page already shows in its tables (json_script
 * "stats-chart-data"). The tables stay: they are the accessible, printable form; the charts are a
 * picture of them. Horizontal bars keep long Chinese region names readable on a phone. */
(function (window, document) {
  "use strict";

  function barOption(data) {
    var rows = data.children || [];
    return {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", inverse: true, data: rows.map(function (r) { return r.name; }) },
      series: [
        { name: data.labels.enrolled, type: "bar", data: rows.map(function (r) { return r.enrolled; }) },
        { name: data.labels.completed, type: "bar", data: rows.map(function (r) { return r.completed; }) },
      ],
    };
  }

  function lineOption(data) {
    var days = data.days || [];
    return {
      tooltip: { trigger: "axis" },
      grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: days.map(function (d) { return d.day; }) },
      yAxis: { type: "value", name: data.labels.minutes, minInterval: 1 },
      series: [{ name: data.labels.minutes, type: "line", smooth: false, data: days.map(function (d) { return d.minutes; }) }],
    };
  }

  function draw(id, option, rows) {
    var box = document.getElementById(id);
    if (!box || !window.echarts || !rows) return;
    box.hidden = false;
    var chart = window.echarts.init(box, null, { renderer: "svg" });
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
  }

  window.XueshiStatsCharts = { barOption: barOption, lineOption: lineOption };
  document.addEventListener("DOMContentLoaded", function () {
    var node = document.getElementById("stats-chart-data");
    if (!node) return;
    var data = JSON.parse(node.textContent);
    draw("stats-chart-regions", barOption(data), (data.children || []).length);
    draw("stats-chart-days", lineOption(data), (data.days || []).length);
  });
})(window, document);
