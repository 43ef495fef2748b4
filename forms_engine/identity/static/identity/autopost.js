// Sends the SAML form on to BundID at once (without JavaScript the button does),
// and after logging out here goes on to BundID's single logout (else the link does).
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("bundid-post");
  if (form) { form.submit(); }
  var logout = document.getElementById("bundid-slo");
  if (logout) { window.location.assign(logout.href); }
});
