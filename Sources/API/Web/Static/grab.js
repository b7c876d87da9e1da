// 抢券 on the campaign page (issue 16: "the grab page must survive the opening second").
// - The countdown follows the SERVER's clock: the page carries the server's now and the opening
//   instant; the offset is taken once against this browser's monotonic clock (performance.now),
//   so a wrong or changed system clock in the browser does not move the opening.
// - 抢券 is enabled at the opening instant; each click sends ONE request. An Idempotency-Key is
//   made per intended grab and kept for its automatic retries, so a double click or a retry can
//   never grab twice; the button stays disabled while a grab is in flight.
// - 429/503 are retried after Retry-After plus up to 50% random jitter, at most RETRIES_MAX
//   times; the page never reloads. Without this script the forms post and the server answers.
(function () {
  "use strict";
  var RETRIES_MAX = 5;
  var JITTER_SHARE = 0.5;
  var RETRY_AFTER_DEFAULT_S = 1;
  var RETRY_AFTER_MAX_S = 60;

  var panel = document.getElementById("grab-panel");
  if (!panel) { return; }
  var loadedAt = performance.now();
  var serverNowAtLoad = Number(panel.getAttribute("data-server-now"));
  var opensAt = Number(panel.getAttribute("data-opens-at"));
  var closesAt = Number(panel.getAttribute("data-closes-at"));
  var countdown = document.getElementById("countdown");
  var statusLabel = document.getElementById("campaign-status");
  var csrfField = document.querySelector(".lot-form input[name='csrf']");
  var csrf = csrfField ? csrfField.value : "";

  function serverNow() { return serverNowAtLoad + (performance.now() - loadedAt); }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function randomKey() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    var text = "";
    for (var i = 0; i < bytes.length; i++) { text += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16); }
    return text;
  }

  var buttons = Array.prototype.slice.call(document.querySelectorAll(".lot-form button"));

  function setOpen(open) {
    buttons.forEach(function (button) {
      if (button.getAttribute("data-final") === "1" || button.getAttribute("data-busy") === "1") { return; }
      button.disabled = !open;
    });
  }

  function tick() {
    var now = serverNow();
    if (now < opensAt) {
      var left = Math.ceil((opensAt - now) / 1000);
      var h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), s = left % 60;
      countdown.textContent = "距开始还有 " + pad(h) + ":" + pad(m) + ":" + pad(s) + "（服务器时间）";
      countdown.setAttribute("data-state", "waiting");
      setOpen(false);
      // Wake at the opening instant exactly, or at the next whole second of the countdown.
      var untilOpen = opensAt - now;
      setTimeout(tick, Math.max(1, Math.min(untilOpen, (untilOpen % 1000) || 1000)));
    } else if (now < closesAt) {
      countdown.textContent = "活动进行中，可以抢券。";
      if (statusLabel && statusLabel.textContent !== "已结束") { statusLabel.textContent = "进行中"; }
      countdown.setAttribute("data-state", "open");
      setOpen(true);
      setTimeout(tick, Math.max(1, Math.min(closesAt - now, 60000)));
    } else {
      countdown.textContent = "活动已结束。";
      if (statusLabel) { statusLabel.textContent = "已结束"; }
      countdown.setAttribute("data-state", "ended");
      setOpen(false);
    }
  }

  function show(lot, text, kind) {
    var out = document.getElementById("result-" + lot);
    if (!out) { return; }
    out.textContent = text;
    out.setAttribute("data-kind", kind);
  }

  // One intended grab (or application) of a lot: its key, and how many retries it has used.
  function act(form) {
    var lot = form.getAttribute("data-lot");
    var button = form.querySelector("button");
    if (button.getAttribute("data-busy") === "1") { return; }
    var key = randomKey();
    var retries = 0;
    button.setAttribute("data-busy", "1");
    button.disabled = true;
    show(lot, "正在提交…", "pending");

    function finish(text, kind, final) {
      button.removeAttribute("data-busy");
      if (final) {
        button.setAttribute("data-final", "1");
        button.disabled = true;
        if (kind === "sold_out") { button.textContent = "已抢完"; }
      } else {
        button.disabled = serverNow() < opensAt;
      }
      show(lot, text, kind);
    }

    function later(seconds, text) {
      if (retries >= RETRIES_MAX) {
        finish(text.replace(/\d+ 秒后自动重试/, "请稍后再试"), "retry", false);
        return;
      }
      retries += 1;
      var base = Math.min(Math.max(seconds, RETRY_AFTER_DEFAULT_S), RETRY_AFTER_MAX_S) * 1000;
      show(lot, text, "retry");
      setTimeout(send, base * (1 + Math.random() * JITTER_SHARE));
    }

    function send() {
      fetch(form.getAttribute("action"), {
        method: "POST", credentials: "same-origin", cache: "no-store",
        headers: { "X-CSRF-Token": csrf, "Idempotency-Key": key, "Accept": "application/json" }
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (body) {
          var text = body.message || "操作未成功，请稍后重试。";
          if (response.status === 429 || response.status === 503) {
            var header = Number(response.headers.get("Retry-After"));
            later(isFinite(header) && header > 0 ? header : Number(body.retryAfterSeconds) || RETRY_AFTER_DEFAULT_S, text);
          } else if (response.ok) {
            // A voucher won stays clickable: the next click is a new grab (the limit answers it).
            finish(text, body.result || "issued", body.result === "applied");
          } else {
            var code = body.code || "error";
            finish(text, code, code === "sold_out" || code === "ended");
          }
        });
      }).catch(function () {
        later(RETRY_AFTER_DEFAULT_S, "网络异常，1 秒后自动重试。");
      });
    }
    send();
  }

  Array.prototype.forEach.call(document.querySelectorAll(".lot-form"), function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      act(form);
    });
  });
  tick();
})();
