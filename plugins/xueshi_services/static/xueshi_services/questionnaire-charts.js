/* Questionnaire results as ECharts bar charts (ADR 0312): drawn from the figures the page already
 * shows in its tables (json_script "questionnaire-chart-data"). The tables stay as the accessible,
 * printable form; without ECharts (the statistics app not installed) nothing is drawn. */
(function (window, document) {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var node = document.getElementById("questionnaire-chart-data");
    if (!node || !window.echarts) return;
    JSON.parse(node.textContent).forEach(function (item) {
      var box = document.getElementById(item.id);
      if (!box) return;
      box.hidden = false;
      var chart = window.echarts.init(box, null, { renderer: "svg" });
      chart.setOption({
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        grid: { left: 8, right: 16, top: 8, bottom: 8, containLabel: true },
        xAxis: { type: "value", minInterval: 1 },
        yAxis: { type: "category", inverse: true, data: item.labels },
        series: [{ type: "bar", data: item.counts }],
      });
      window.addEventListener("resize", function () { chart.resize(); });
    });
  });
})(window, document);
