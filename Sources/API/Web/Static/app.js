// VoucherRush web pages: plain JavaScript from this origin only (CSP script-src 'self'); every
// page works without it. Moves the focus to the first field the server marked invalid.
document.addEventListener("DOMContentLoaded", function () {
  var invalid = document.querySelector("[aria-invalid='true']");
  if (invalid) { invalid.focus(); }
});
