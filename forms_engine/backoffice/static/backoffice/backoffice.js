// Keyboard shortcuts of the back office (listed on each page that has them).
// A key fires the link or field marked data-shortcut="<key>"; never while typing.
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) {
      return;
    }
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(target.tagName))) {
      return;
    }
    var element = document.querySelector('[data-shortcut="' + event.key + '"]');
    if (!element) {
      return;
    }
    event.preventDefault();
    if (element.tagName === "A") {
      element.click();
    } else {
      element.focus();
    }
  });
})();
