// The main menu (a <details> in templates/base.html) is open in the markup, so it works without
// script. On narrow screens it folds into its button; on wide ones it is always open, and the
// CSS hides the button. Loaded right after the menu, not deferred, so a phone never sees it open.
(function () {
  "use strict";
  var narrow = window.matchMedia("(max-width: 760px)");
  function fit() {
    document.querySelectorAll("details[data-menu]").forEach(function (menu) {
      menu.open = !narrow.matches;
    });
  }
  fit();
  if (narrow.addEventListener) narrow.addEventListener("change", fit);
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !narrow.matches) return;
    document.querySelectorAll("details[data-menu][open]").forEach(function (menu) {
      menu.open = false;
      menu.querySelector("summary").focus();
    });
  });
})();
