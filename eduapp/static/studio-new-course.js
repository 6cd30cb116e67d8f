// Create a course: suggest the web address from the title as it is typed, until the
// instructor edits the address themselves. Without this script the server derives it.
// On a slow connection the title may be typed before this script runs: it is read at start.
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
  function follow() {
    if (!edited) { slug.value = suggest(title.value); }
  }
  slug.addEventListener("input", function () { edited = slug.value !== ""; });
  title.addEventListener("input", follow);
  if (title.value !== "") { follow(); }
}());
