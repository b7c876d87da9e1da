// The listing editor (listing-editor.mustache): when files are chosen (case documents, images,
// module media), the form goes with upload.js's progress upload so that a bar shows the bytes
// sent; whichever button was pressed (保存草稿, 发布预览, 上移 …) goes with it. Without files, or
// without this script, the form posts as usual.
(function () {
  "use strict";
  var form = document.getElementById("listing-form");
  if (!form || !window.VoucherUpload || !window.VoucherUpload.supported()) { return; }
  var progress = document.getElementById("upload-progress");
  var status = document.getElementById("upload-status");

  function filesChosen() {
    var inputs = form.querySelectorAll("input[type=file]");
    for (var i = 0; i < inputs.length; i++) {
      if (inputs[i].files && inputs[i].files.length) { return true; }
    }
    return false;
  }

  form.addEventListener("submit", function (event) {
    if (!filesChosen()) { return; }
    event.preventDefault();
    window.VoucherUpload.send(form, {
      submitter: event.submitter, progress: progress, status: status,
      buttons: form.querySelectorAll("button[type=submit]"), uploadedText: "上传完成，正在保存…"
    });
  });
})();
