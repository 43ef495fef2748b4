// Delivery target admin: show only the settings of the chosen channel.
// Without JavaScript every channel's settings stay visible, each headed
// "Settings for: <channel>", and only the chosen channel's are used.
(function () {
  "use strict";
  function update() {
    var select = document.getElementById("id_channel");
    if (!select) return;
    var fieldsets = document.querySelectorAll("fieldset.channel-options");
    for (var i = 0; i < fieldsets.length; i++) {
      fieldsets[i].hidden = !fieldsets[i].classList.contains("channel-" + select.value);
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    var select = document.getElementById("id_channel");
    if (select) select.addEventListener("change", update);
    update();
  });
})();
