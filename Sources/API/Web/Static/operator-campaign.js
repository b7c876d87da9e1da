// 活动管理 › a campaign's page: each lot's remaining stock and claims per second, live while the
// campaign is listed. Every second one fetch of /workbench/campaigns/{id}/live (Redis's stock and
// the server's clock of the reading); the rate is the fall of the remaining stock between two
// readings over the server time between them. Without JavaScript the page shows the numbers of
// its render. One request at a time: the next is scheduled only after the answer.
(function () {
  "use strict";
  var status = document.getElementById("live-status");
  if (!status) { return; }
  var url = status.getAttribute("data-live-url");
  if (!url) { return; }
  var intervalMs = 1000;
  var previous = null;

  function text(id, value) {
    var element = document.getElementById(id);
    if (element && element.textContent !== value) { element.textContent = value; }
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  // The reading's server time in China Standard Time, as the page shows times.
  function beijing(ms) {
    var d = new Date(ms + 8 * 3600 * 1000);
    return d.getUTCFullYear() + "-" + pad(d.getUTCMonth() + 1) + "-" + pad(d.getUTCDate()) + " " +
      pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes()) + ":" + pad(d.getUTCSeconds());
  }

  function show(reading) {
    var byID = {};
    if (previous) {
      previous.lots.forEach(function (lot) { byID[lot.id] = lot; });
    }
    var seconds = previous ? (reading.atMs - previous.atMs) / 1000 : 0;
    reading.lots.forEach(function (lot) {
      if (lot.remaining === undefined || lot.remaining === null) { return; }
      text("remaining-" + lot.id, String(lot.remaining));
      text("stock-" + lot.id, String(lot.stock));
      text("issued-" + lot.id, String(Math.max(0, lot.stock - lot.remaining)));
      var before = byID[lot.id];
      if (before && before.remaining !== undefined && before.remaining !== null && seconds > 0) {
        // A restock raises the remaining stock: that is no claim, so the rate is not negative.
        var claimed = Math.max(0, before.remaining - lot.remaining);
        text("rate-" + lot.id, (claimed / seconds).toFixed(1));
      }
    });
    text("live-read-at", beijing(reading.atMs));
    previous = reading;
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" }, cache: "no-store" })
      .then(function (answer) {
        if (!answer.ok) { throw new Error("status " + answer.status); }
        return answer.json();
      })
      .then(function (reading) { show(reading); status.removeAttribute("data-stale"); })
      .catch(function () { status.setAttribute("data-stale", "1"); })
      .then(function () { window.setTimeout(poll, intervalMs); });
  }

  window.setTimeout(poll, intervalMs);
})();
