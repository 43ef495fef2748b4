// Progressive enhancement only: every page works without this file.
// After a failed step, move focus to the error summary (screen readers announce it).
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
});
