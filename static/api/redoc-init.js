/* Starts ReDoc on /api/redoc/ (api/templates/api/redoc.html). The nonce of this script's own
   tag is the response's CSP nonce: ReDoc puts it on the <style> elements it writes, the only
   inline styles the page's Content-Security-Policy lets through. */
(function () {
  "use strict";
  var container = document.getElementById("redoc-container");
  var settings = JSON.parse(container.dataset.settings || "{}");
  settings.nonce = document.currentScript.nonce;
  Redoc.init(container.dataset.schemaUrl, settings, container);
})();
