// 诊断服务券-兑付申请: the count and total of the ticked usages, updated as they are ticked
// (the server shows the same after 发起兑换, so the page works without this script). Amounts are
// whole fen (data-fen), summed as integers and formatted as ¥12,345.67 — never a float of yuan.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("usage-select");
  var count = document.getElementById("selected-count");
  var total = document.getElementById("selected-total");
  if (!form || !count || !total) { return; }

  function yuan(fen) {
    var whole = String(Math.floor(fen / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    var cents = String(fen % 100);
    return "¥" + whole + "." + (cents.length < 2 ? "0" + cents : cents);
  }

  function update() {
    var boxes = form.querySelectorAll("input.usage-check:checked");
    var sum = 0;
    for (var i = 0; i < boxes.length; i++) { sum += parseInt(boxes[i].getAttribute("data-fen"), 10) || 0; }
    count.textContent = String(boxes.length);
    total.textContent = yuan(sum);
  }

  form.addEventListener("change", update);
  form.setAttribute("data-live", "1");
});
