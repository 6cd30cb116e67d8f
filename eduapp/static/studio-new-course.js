// Create a course: suggest the web address from the title as it is typed, until the
// instructor edits the address themselves. Without this script the server derives it.
(function () {
  "use strict";
  var title = document.getElementById("title");
  var slug = document.getElementById("slug");
  if (!title || !slug) { return; }
  var edited = slug.value !== "";
  function suggest(text) {
    return text.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 80).replace(/-+$/, "");
  }
  slug.addEventListener("input", function () { edited = slug.value !== ""; });
  title.addEventListener("input", function () {
    if (!edited) { slug.value = suggest(title.value); }
  });
}());
