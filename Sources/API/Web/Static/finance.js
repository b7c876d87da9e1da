// 银行流水上传 (finance-statements.mustache): drag and drop a statement onto the form, and send it
// with XMLHttpRequest so that a progress bar shows the upload. The server answers as it does to
// the plain form: imported, a redirect to the report (the browser goes there); refused, the page
// again with the reasons, which replaces this one. Without this script the form posts as usual.
(function () {
  "use strict";
  var form = document.getElementById("statement-form");
  if (!form || !window.FormData || !window.XMLHttpRequest) { return; }
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
    var request = new XMLHttpRequest();
    request.open("POST", form.action);
    progress.hidden = false;
    progress.value = 0;
    button.disabled = true;
    status.textContent = "正在上传…";
    request.upload.addEventListener("progress", function (progressEvent) {
      if (progressEvent.lengthComputable) {
        progress.value = Math.floor(progressEvent.loaded * 100 / progressEvent.total);
        status.textContent = "已上传 " + progress.value + "%";
      }
    });
    request.upload.addEventListener("load", function () {
      progress.value = 100;
      status.textContent = "上传完成，正在对账…";
    });
    request.addEventListener("load", function () {
      if (request.responseURL && request.responseURL.indexOf("/workbench/finance/statements/") !== -1) {
        window.location.assign(request.responseURL);
        return;
      }
      document.open();
      document.write(request.responseText);
      document.close();
    });
    request.addEventListener("error", function () {
      button.disabled = false;
      progress.hidden = true;
      status.textContent = "网络错误，上传未完成，请重试。";
    });
    request.send(new FormData(form));
  });
})();
