// Starts Swagger UI on /api/v1/docs (a static file: the CSP allows no inline script).
// No validator badge: it would send the document to an outside service.
"use strict";
window.addEventListener("DOMContentLoaded", function () {
  var root = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({
    url: root.dataset.specUrl,
    domNode: root,
    validatorUrl: null,
    deepLinking: false,
    presets: [window.SwaggerUIBundle.presets.apis],
  });
});
