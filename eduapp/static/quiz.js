// Autosave and the countdown for a quiz attempt. Our own few lines, served locally.
// The server decides everything: this only saves answers as they change and shows the time
// left, measured from the server's own "now" so a wrong computer clock cannot mislead.
(function () {
  "use strict";
  var form = document.querySelector("form.quiz-form[data-save-url]");
  if (!form) { return; }
  var status = document.getElementById("save-status");
  var token = form.querySelector("input[name=csrf_token]").value;

  function say(text) { if (status) { status.textContent = text; } }

  function save(name) {
    var data = new FormData();
    data.append("csrf_token", token);
    var fields = form.querySelectorAll("[name='" + name.replace(/'/g, "") + "']");
    var sent = false;
    fields.forEach(function (el) {
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) { return; }
      data.append(name, el.value);
      sent = true;
    });
    if (!sent) { data.append(name, ""); }  // a cleared answer clears the saved one too
    say("Saving…");
    fetch(form.dataset.saveUrl, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (body) {
        say(response.ok ? "All answers saved." : (body.message || "Not saved."));
      });
    }).catch(function () {
      say("Not saved: check your connection. Your answers are still on this page.");
    });
  }

  // The navigator, drawn by the server from the saved answers, follows each change. The rule
  // is answered.py's: a matching or ordering question counts once every row is chosen.
  function isAnswered(box) {
    var fields = box.querySelectorAll("input, select");
    var selects = 0, chosen = 0, any = false;
    fields.forEach(function (el) {
      if (el.tagName === "SELECT") {
        selects += 1;
        if (el.value) { chosen += 1; }
      } else if (el.type === "checkbox" || el.type === "radio") {
        if (el.checked) { any = true; }
      } else if (el.value.trim()) {
        any = true;
      }
    });
    return selects ? chosen === selects : any;
  }

  function mark(box) {
    var link = document.querySelector("[data-nav-key='" + box.dataset.questionKey.replace(/'/g, "") + "']");
    if (!link) { return; }
    var answered = isAnswered(box);
    link.className = answered ? "is-answered" : "is-open";
    link.querySelector(".nav-mark").textContent = answered ? "\u2713" : "\u25cb";
    link.querySelector(".nav-state").textContent = answered ? ", answered" : ", not answered";
    var count = document.querySelector("[data-answered]");
    if (count) { count.textContent = document.querySelectorAll(".quiz-nav-list .is-answered").length; }
  }

  form.addEventListener("change", function (event) {
    var name = event.target.name;
    if (name && name.indexOf("q-") === 0) { save(name); }
    var box = event.target.closest("[data-question-key]");
    if (box) { mark(box); }
  });
  // Typing marks a text answer at once; it is saved on "change", when the field is left.
  form.addEventListener("input", function (event) {
    var box = event.target.closest("[data-question-key]");
    if (box && event.target.type === "text") { mark(box); }
  });

  // An answer chosen before this script ran (a slow connection) was never saved: save it now.
  (function catchUp() {
    var names = {};
    form.querySelectorAll("input, select").forEach(function (el) {
      if (!el.name || el.name.indexOf("q-") !== 0) { return; }
      var changed = (el.type === "checkbox" || el.type === "radio")
        ? el.checked !== el.defaultChecked
        : el.tagName === "SELECT"
          ? Array.prototype.some.call(el.options, function (o) { return o.selected !== o.defaultSelected; })
          : el.value !== el.defaultValue;
      if (changed) { names[el.name] = el.closest("[data-question-key]"); }
    });
    Object.keys(names).forEach(function (name) {
      save(name);
      if (names[name]) { mark(names[name]); }
    });
  }());

  var clock = document.querySelector("[data-deadline]");
  if (clock) {
    var left = Date.parse(clock.dataset.deadline) - Date.parse(clock.dataset.now);
    var end = Date.now() + left;
    var out = clock.querySelector("strong");
    var tick = function () {
      var seconds = Math.max(0, Math.round((end - Date.now()) / 1000));
      var m = Math.floor(seconds / 60), s = seconds % 60;
      out.textContent = seconds > 0 ? m + ":" + (s < 10 ? "0" : "") + s : "time is up";
      if (seconds > 0) { window.setTimeout(tick, 1000); }
    };
    tick();
  }
}());
