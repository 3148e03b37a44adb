// "Show password" boxes: the forms work without this script; it only reveals the box
// (hidden in the page) and switches its password field between hidden and plain text.
(function () {
  "use strict";
  document.querySelectorAll("input[type=checkbox][data-shows]").forEach(function (box) {
    var field = document.getElementById(box.getAttribute("data-shows"));
    if (!field) {
      return;
    }
    box.checked = false;
    box.addEventListener("change", function () {
      field.type = box.checked ? "text" : "password";
    });
    // Back to a password field before sending, so a browser never saves it as plain text.
    if (field.form) {
      field.form.addEventListener("submit", function () {
        field.type = "password";
      });
    }
    box.parentElement.hidden = false;
  });
})();
