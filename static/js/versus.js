/* Versus: small comforts on top of pages that already work without JavaScript. */
(function () {
  "use strict";

  // Filter forms apply as soon as a box is ticked; the submit button stays for keyboards
  // and for anyone without JavaScript.
  document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
    form.addEventListener("change", function () {
      form.requestSubmit ? form.requestSubmit() : form.submit();
    });
  });

  // Opening one cell's sources closes the others in the same table, so a wide matrix
  // never fills up with open panels.
  document.querySelectorAll("table").forEach(function (table) {
    table.addEventListener("toggle", function (event) {
      var opened = event.target;
      if (!opened.matches || !opened.matches("details.cell-details") || !opened.open) return;
      table.querySelectorAll("details.cell-details[open]").forEach(function (other) {
        if (other !== opened) other.open = false;
      });
    }, true);
  });
})();
