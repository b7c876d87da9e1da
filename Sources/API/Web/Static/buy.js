// 商品购买 (buy.mustache): while spec, quantity or the ticked vouchers change, asks the server's
// quote (POST /workbench/buy/{id}/quote, the form's fields with its CSRF token) and shows the
// total, the 30% cap, the deduction and the payable. Without this script the 重新计算 button posts
// the same form and the page comes back with the same numbers.
(function () {
  "use strict";
  var form = document.getElementById("buy-form");
  if (!form || !window.fetch || !window.URLSearchParams || !window.FormData) { return; }
  var sequence = 0;
  var pending = null;

  function show(id, text) {
    var element = document.getElementById(id);
    if (element) { element.textContent = text; }
  }

  function apply(answer) {
    show("quote-unit", answer.unitPrice);
    show("quote-total", answer.total);
    show("quote-cap", answer.cap);
    show("quote-deduction", answer.deduction);
    show("quote-payable", answer.payable);
    var taken = {};
    (answer.draws || []).forEach(function (draw) { taken[draw.voucherId] = draw.taken; });
    Array.prototype.forEach.call(form.querySelectorAll(".voucher-taken"), function (cell) {
      cell.textContent = taken[cell.getAttribute("data-voucher")] || "¥0.00";
    });
    var error = document.getElementById("buy-live-error");
    var quantity = document.getElementById("quantity");
    error.textContent = answer.error || "";
    error.hidden = !answer.error;
    if (answer.errorField === "quantity") {
      quantity.setAttribute("aria-invalid", "true");
    } else {
      quantity.removeAttribute("aria-invalid");
    }
  }

  function quote() {
    var mine = ++sequence;
    var body = new URLSearchParams(new FormData(form));
    body.set("action", "quote");
    fetch(form.getAttribute("data-quote"), {
      method: "POST", credentials: "same-origin", body: body,
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.json();
    }).then(function (answer) {
      // Only the latest question's answer is shown (an older one may arrive later).
      if (mine === sequence) { apply(answer); }
    }).catch(function () {
      if (mine === sequence) { apply({ unitPrice: "—", total: "—", cap: "—", deduction: "—", payable: "—", error: "无法获取报价，请单击“重新计算”。" }); }
    });
  }

  function soon() {
    if (pending) { clearTimeout(pending); }
    pending = setTimeout(quote, 250);
  }

  form.addEventListener("change", quote);
  document.getElementById("quantity").addEventListener("input", soon);
  form.setAttribute("data-live", "1");
})();
