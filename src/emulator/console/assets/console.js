// The emulator console's only script: progressive enhancement of Revoke.
// Without JavaScript each Revoke link leads to a confirmation page; with it, the
// link opens the same confirmation as a modal dialog on the list page. Text from the
// page goes into the dialog with textContent only, never as HTML.
(function () {
  "use strict";
  var dialog = document.getElementById("revoke-dialog");
  if (!dialog || typeof dialog.showModal !== "function") {
    return;
  }
  var form = document.getElementById("revoke-dialog-form");
  var name = document.getElementById("revoke-dialog-name");
  var prefix = document.getElementById("revoke-dialog-prefix");
  var cancel = document.getElementById("revoke-dialog-cancel");
  var opener = null;

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-revoke]") : null;
    if (!link) {
      return;
    }
    event.preventDefault();
    opener = link;
    // The confirmation page's URL is also the revoke form's target (POST).
    form.setAttribute("action", link.getAttribute("href"));
    name.textContent = link.getAttribute("data-description");
    prefix.textContent = link.getAttribute("data-prefix");
    dialog.showModal();
    cancel.focus();
  });

  cancel.addEventListener("click", function () {
    dialog.close();
  });

  dialog.addEventListener("close", function () {
    if (opener) {
      opener.focus();
      opener = null;
    }
  });
})();
