// Behaviour shared by every page, bound from data attributes: the Content-Security-Policy
// forbids inline handlers (onclick="…"), so markup says what it wants and this file does it.
(function () {
  "use strict";
  // <select data-autosubmit> sends its form as soon as it changes (list filters).
  document.addEventListener("change", function (event) {
    var field = event.target.closest("[data-autosubmit]");
    if (field && field.form) field.form.submit();
  });
  // <button data-print> opens the browser's print dialog (printable notices).
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) {
      event.preventDefault();
      window.print();
    }
  });
})();
