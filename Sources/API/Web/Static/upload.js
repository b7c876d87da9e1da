// One progress upload for the pages' multipart forms (finance.js's bank statements, the listing
// editor's case documents): the form goes with XMLHttpRequest so that a <progress> shows the
// bytes sent, and the server's answer is shown as the plain form's would be: a redirect is
// followed (the browser opens where the server sent it), any other answer (a refusal with its
// reasons) replaces this page. Pages call it only when FormData and XMLHttpRequest exist;
// without JavaScript the forms post as usual.
window.VoucherUpload = (function () {
  "use strict";

  function supported() {
    return !!(window.FormData && window.XMLHttpRequest);
  }

  // Sends `form` as the button `options.submitter` would (its name and value included), showing
  // the upload on `options.progress` and `options.status`; `options.buttons` are disabled while
  // it runs; `options.uploadedText` is the status once every byte is sent.
  function send(form, options) {
    var data = new FormData(form);
    var submitter = options.submitter;
    if (submitter && submitter.name) { data.append(submitter.name, submitter.value); }
    var progress = options.progress;
    var status = options.status;
    var buttons = options.buttons || [];
    function enable(on) {
      for (var i = 0; i < buttons.length; i++) { buttons[i].disabled = !on; }
    }
    // The form's own address: `form.action` would name a control called "action" (the editor's buttons).
    var target = new URL(form.getAttribute("action") || "", document.baseURI).href;
    var request = new XMLHttpRequest();
    request.open("POST", target);
    progress.hidden = false;
    progress.value = 0;
    enable(false);
    status.textContent = "正在上传…";
    request.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) {
        progress.value = Math.floor(event.loaded * 100 / event.total);
        status.textContent = "已上传 " + progress.value + "%";
      }
    });
    request.upload.addEventListener("load", function () {
      progress.value = 100;
      status.textContent = options.uploadedText || "上传完成，正在处理…";
    });
    request.addEventListener("load", function () {
      if (request.responseURL && request.responseURL !== target) {
        window.location.assign(request.responseURL);
        return;
      }
      document.open();
      document.write(request.responseText);
      document.close();
    });
    request.addEventListener("error", function () {
      enable(true);
      progress.hidden = true;
      status.textContent = "网络错误，上传未完成，请重试。";
    });
    request.send(data);
  }

  return { supported: supported, send: send };
})();
