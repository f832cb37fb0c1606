import assert from "node:assert/strict";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import vm from "node:vm";
import { build, FILE, OUT } from "../build.mjs";

test("the build copies ECharts with the locked version", () => {
  const version = build();
  const lock = JSON.parse(readFileSync(new URL("../package-lock.json", import.meta.url), "utf8"));
  assert.equal(version, lock.packages["node_modules/echarts"].version);
  assert.ok(statSync(join(OUT, FILE)).size > 100000);
});

test("the dashboard's options: one bar per sub-region, one point per day", () => {
  const window = {};
  const source = readFileSync(new URL("../../static/xueshi_stats/charts.js", import.meta.url), "utf8");
  vm.runInNewContext(source, { window, document: { addEventListener() {} } });
  const labels = { enrolled: "报名", completed: "结业", minutes: "分钟" };
  const plain = (value) => JSON.parse(JSON.stringify(value)); // arrays from the script's own realm
  const bar = plain(window.XueshiStatsCharts.barOption({
    labels,
    children: [
      { name: "鼓楼区", enrolled: 3, completed: 1 },
      { name: "台江区", enrolled: 2, completed: 0 },
    ],
  }));
  assert.deepEqual(bar.yAxis.data, ["鼓楼区", "台江区"]);
  assert.deepEqual(bar.series.map((s) => s.data), [[3, 2], [1, 0]]);
  const days = [{ day: "2026-06-01", minutes: 90 }];
  const line = plain(window.XueshiStatsCharts.lineOption({ labels, days }));
  assert.deepEqual(line.xAxis.data, ["2026-06-01"]);
  assert.deepEqual(line.series[0].data, [90]);
});
