// 银行流水上传 (finance-statements.mustache): drag and drop a statement onto the form, and send it
// with upload.js's progress upload. The server answers as it does to the plain form: imported, a
// redirect to the report (the browser goes there); refused, the page again with the reasons,
// which replaces this one. Without this script the form posts as usual.
(function () {
  "use strict";
  var form = document.getElementById("statement-form");
  if (!form || !window.VoucherUpload || !window.VoucherUpload.supported()) { return; }
  var input = document.getElementById("statement");
  var zone = document.getElementById("drop-zone");
  var progress = document.getElementById("upload-progress");
  var status = document.getElementById("upload-status");
  var chosen = document.getElementById("chosen-file");
  var button = document.getElementById("statement-submit");
  var bytesMax = parseInt(form.getAttribute("data-bytes-max"), 10) || 0;

  document.getElementById("drop-hint").hidden = false;

  function showChosen() {
    var file = input.files && input.files[0];
    chosen.textContent = file ? "已选择：" + file.name + "（" + Math.ceil(file.size / 1024) + " KB）" : "";
  }

  input.addEventListener("change", showChosen);
  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (event) {
      event.preventDefault();
      zone.classList.add("dragging");
    });
  });
  ["dragleave", "drop"].forEach(function (name) {
    zone.addEventListener(name, function () { zone.classList.remove("dragging"); });
  });
  zone.addEventListener("drop", function (event) {
    event.preventDefault();
    if (!event.dataTransfer || !event.dataTransfer.files.length) { return; }
    input.files = event.dataTransfer.files;
    showChosen();
  });

  form.addEventListener("submit", function (event) {
    var file = input.files && input.files[0];
    if (!file) { return; } // the server says what is missing
    if (bytesMax && file.size > bytesMax) {
      event.preventDefault();
      status.textContent = "文件过大：单个流水文件不超过 32 MB，请分期间导出。";
      return;
    }
    event.preventDefault();
    window.VoucherUpload.send(form, {
      progress: progress, status: status, buttons: [button], uploadedText: "上传完成，正在对账…"
    });
  });
})();
