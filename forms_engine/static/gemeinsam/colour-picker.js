// Accent colour in the city admin: a colour picker beside the #rrggbb box,
// both kept in step, and the contrast against white shown as you choose. The
// server checks the contrast again on saving (tenants/validators.py).
(function () {
  "use strict";
  var HEX = /^#[0-9a-fA-F]{6}$/;
  function channel(v) { v = v / 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }
  function luminance(hex) {
    var r = parseInt(hex.substr(1, 2), 16), g = parseInt(hex.substr(3, 2), 16), b = parseInt(hex.substr(5, 2), 16);
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  }
  function ratio(hex) { return 1.05 / (luminance(hex) + 0.05); }
  function show(out, hex) {
    if (!HEX.test(hex)) { out.textContent = ""; return; }
    var value = Math.floor(ratio(hex) * 100) / 100, needed = parseFloat(out.dataset.needed);
    var text = out.dataset.text.replace("{ratio}", value.toFixed(2).replace(".", document.documentElement.lang === "de" ? "," : "."));
    if (value < needed) text += " " + out.dataset.low.replace("{needed}", String(needed).replace(".", document.documentElement.lang === "de" ? "," : "."));
    out.textContent = text;
  }
  document.addEventListener("DOMContentLoaded", function () {
    var pickers = document.querySelectorAll("input.colour-picker");
    for (var i = 0; i < pickers.length; i++) {
      (function (picker) {
        var box = document.getElementById(picker.dataset.for);
        var out = document.querySelector('.colour-contrast[data-for="' + picker.dataset.for + '"]');
        if (!box) return;
        picker.hidden = false;
        picker.addEventListener("input", function () { box.value = picker.value; show(out, picker.value); });
        box.addEventListener("input", function () { if (HEX.test(box.value)) picker.value = box.value.toLowerCase(); show(out, box.value); });
        show(out, box.value);
      })(pickers[i]);
    }
  });
})();
