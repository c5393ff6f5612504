// Draws each source's chart on the status page with uPlot (served from the jar), from the runs the server put in the
// figure's data-series. Once uPlot has drawn, the figure's data-drawn-points says how many runs it plotted.
(function () {
  "use strict";
  var SERIES = [
    ["fetched", "#1f77b4"], ["inserted", "#2ca02c"], ["updated", "#ff7f0e"], ["deleted", "#7f7f7f"], ["rejected", "#d62728"]
  ];

  function draw(figure) {
    var runs = JSON.parse(figure.dataset.series);
    var data = [runs.x].concat(SERIES.map(function (s) { return runs[s[0]]; }));
    var options = {
      title: figure.dataset.title,
      width: Math.max(320, Math.min(figure.clientWidth || 900, 1100)),
      height: 240,
      scales: { x: { time: true } },
      series: [{ label: "run started" }].concat(SERIES.map(function (s) {
        return { label: s[0], stroke: s[1], width: 2, points: { show: true, size: 6 } };
      })),
      axes: [{}, { label: "users" }],
      hooks: {
        draw: [function (u) { figure.dataset.drawnPoints = String(u.data[0].length); }]
      }
    };
    new uPlot(options, data, figure);
  }

  document.querySelectorAll("figure.chart").forEach(draw);
})();
