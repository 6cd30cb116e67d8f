// The question editor's live lint and preview. Our own few lines, served locally.
// Without this the page works as it is: Preview and Save are plain form posts. With it, a
// pause in typing posts the form with the Preview button's action (nothing is saved) and
// the lint and learner's preview beside the form are replaced with the server's answer.
(function () {
  "use strict";
  var form = document.getElementById("question-form");
  var aside = document.getElementById("question-aside");
  var status = document.getElementById("live-status");
  if (!form || !aside || !window.fetch || !window.DOMParser) { return; }
  var timer = null, sent = 0, shown = 0;

  function refresh() {
    var data = new FormData(form);
    data.set("action", "preview");
    var number = ++sent;
    // Sent as a form posts it (urlencoded): this form takes no files.
    // form.action would be the buttons named "action"; the attribute is the address.
    fetch(form.getAttribute("action"), { method: "POST", body: new URLSearchParams(data),
                         credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      })
      .then(function (html) {
        if (number < shown) { return; }  // an older answer arriving late
        shown = number;
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.getElementById("question-aside");
        if (page.querySelector(".form-errors")) {
          status.textContent = "The lint and preview wait for the fields marked on Preview.";
        } else if (fresh) {
          aside.replaceChildren.apply(aside, Array.prototype.slice.call(fresh.childNodes));
          status.textContent = "Lint and preview updated.";
        }
      })
      .catch(function () { status.textContent = "Could not update the preview; use Preview."; });
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 700);
  }
  form.addEventListener("input", later);
  form.addEventListener("change", later);
}());
