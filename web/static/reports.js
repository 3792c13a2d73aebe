/* Draws the report page's charts from the JSON beside the table (no inline script). */
(function () {
  "use strict";
  var dataNode = document.getElementById("report-data");
  if (!dataNode || typeof Chart === "undefined") { return; }
  var data = JSON.parse(dataNode.textContent);
  var names = JSON.parse(document.getElementById("report-labels").textContent);
  var colors = ["#b3261e", "#0b5cad", "#1a7f37", "#9a6700", "#6e40c9"];
  var common = { responsive: true, maintainAspectRatio: false, animation: false };

  function bars(id, series, options) {
    var canvas = document.getElementById(id);
    if (!canvas) { return; }
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: series.map(function (key, i) {
          return { label: names[key], data: data[key], backgroundColor: colors[i % colors.length] };
        })
      },
      options: Object.assign({}, common, options || {})
    });
  }

  var percent = { scales: { y: { beginAtZero: true, max: 100 } } };
  bars("chart-within", ["within"], percent);
  bars("chart-hours", ["median", "p90"], { scales: { y: { beginAtZero: true } } });
  bars("chart-breaches", ["breaches"], { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } });
  bars("chart-quality", ["reanswer", "satisfaction", "referral"], percent);
  var expert = document.getElementById("chart-expert");
  if (expert) {
    new Chart(expert, {
      type: "doughnut",
      data: { labels: names.expert, datasets: [{ data: data.expert, backgroundColor: colors.slice(1, 4) }] },
      options: common
    });
  }
}());
