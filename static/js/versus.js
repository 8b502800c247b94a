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

  // A compare-page cell links to its own page for its sources (the page stays small and
  // works without JavaScript); opening the cell fetches that page and shows its sources in
  // place. If the fetch fails, the link to the page is still there.
  document.addEventListener("toggle", function (event) {
    var details = event.target;
    if (!details.matches || !details.matches("details.cell-details") || !details.open) return;
    var link = details.querySelector(".cell-details-body > a[data-footnote]");
    if (!link || details.dataset.loaded) return;
    details.dataset.loaded = "loading";
    var body = link.parentNode;
    body.setAttribute("aria-busy", "true");
    fetch(link.href, { headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (text) {
        var page = new DOMParser().parseFromString(text, "text/html");
        var sources = page.querySelector("[data-cell-sources]");
        if (!sources) throw new Error("no sources");
        body.replaceChildren.apply(body, Array.prototype.slice.call(sources.childNodes));
        details.dataset.loaded = "yes";
      })
      .catch(function () {
        delete details.dataset.loaded;
      })
      .finally(function () {
        body.removeAttribute("aria-busy");
      });
  }, true);
  // The choose form: a feature is either a must-have or nice to have, so choosing one
  // clears and disables the other; a live count of the requirements; and only the fields
  // that say something are sent, so the address stays short (the server accepts either).
  document.querySelectorAll("form[data-choose]").forEach(function (form) {
    var counter = form.querySelector("[data-requirement-count]");
    var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
    function refresh() {
      var count = 0;
      selects.forEach(function (select) {
        if (select.value) count += 1;
        var pair = select.dataset.pair;
        if (!pair) return;
        form.querySelectorAll('select[data-pair="' + pair + '"]').forEach(function (other) {
          if (other !== select) other.disabled = Boolean(select.value);
        });
      });
      if (counter) counter.textContent = count === 1 ? "1 requirement chosen." : count + " requirements chosen.";
    }
    form.addEventListener("change", refresh);
    // Coming back to the page (the back button) restores the fields disabled at submit.
    window.addEventListener("pageshow", function () {
      selects.forEach(function (select) { select.disabled = false; });
      refresh();
    });
    form.addEventListener("submit", function () {
      selects.forEach(function (select) {
        if (!select.value) select.disabled = true;
      });
    });
    refresh();
  });
})();
