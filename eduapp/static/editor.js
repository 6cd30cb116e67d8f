// The module editor: toolbar, live preview, autosave. Our own few lines, served locally.
// The page works without this: Save and Preview are plain form posts. The server decides
// everything; this only sends the text at pauses and shows what comes back.
(function () {
  "use strict";
  var form = document.getElementById("module-form");
  if (!form) { return; }
  var text = form.querySelector("textarea[name=body]");
  var title = form.querySelector("input[name=title]");
  var basedOn = form.querySelector("input[name=based_on]");
  var token = form.querySelector("input[name=csrf_token]").value;
  var status = document.getElementById("save-status");
  var preview = document.getElementById("live-preview");
  var data = JSON.parse(document.getElementById("editor-data").textContent);
  var storageKey = form.dataset.storageKey;
  var saveTimer = null, previewTimer = null, saving = false, dirty = false, inConflict = false;

  function say(message) { status.textContent = message; }

  // ---- Keeping unsaved text in this tab, so a reload before a save loses nothing ----
  function remember() {
    try {
      sessionStorage.setItem(storageKey, JSON.stringify(
        { title: title.value, body: text.value, basedOn: basedOn.value }));
    } catch (e) { /* storage full or off: autosave still runs */ }
  }
  function forget() { try { sessionStorage.removeItem(storageKey); } catch (e) { /* off */ } }
  (function restore() {
    var kept = null;
    try { kept = JSON.parse(sessionStorage.getItem(storageKey) || "null"); } catch (e) { kept = null; }
    if (!kept || (kept.body === text.value && kept.title === title.value)) { forget(); return; }
    if (kept.basedOn !== basedOn.value) {
      // Typed here, never saved, and the module was saved elsewhere since: both, to choose.
      var saved = text.value;
      text.value = kept.body;
      title.value = kept.title;
      dirty = true;
      window.setTimeout(function () {
        showConflict({ message: "Text you typed before the page was reloaded was never saved, " +
          "and this module was saved somewhere else since. Keep yours, or take the saved one.",
          mine: kept.body, theirs: saved, mine_title: kept.title, theirs_title: title.value,
          based_on: basedOn.value });
      }, 0);
      return;
    }
    text.value = kept.body;
    title.value = kept.title;
    var notice = document.getElementById("restore-notice");
    notice.textContent = "Your unsaved text from before the page was reloaded is back in the " +
      "editor. It is saved in a moment.";
    notice.hidden = false;
    dirty = true;
    window.setTimeout(function () { save(); schedulePreview(); }, 50);
  }());

  // ---- Saving ----
  function save(leaving) {
    if (!dirty || saving || inConflict) { return; }
    saving = true;
    dirty = false;
    say("Saving…");
    var body = new FormData();
    body.append("csrf_token", token);
    body.append("title", title.value);
    body.append("body", text.value);
    body.append("based_on", basedOn.value);
    var sentText = text.value;
    fetch(form.action, {
      // A page being left may only send small bodies (64 KB); longer text stays in the tab.
      method: "POST", body: body, credentials: "same-origin",
      keepalive: !!leaving && text.value.length < 30000,
      headers: { "Accept": "application/json", "X-CSRFToken": token }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (answer) {
        saving = false;
        if (response.ok) {
          basedOn.value = answer.based_on;
          if (text.value === sentText) { forget(); } else { dirty = true; remember(); scheduleSave(); }
          say("Saved at " + answer.saved_at + (answer.problems && answer.problems.length
            ? " (" + answer.problems.length + " to fix before publishing)" : ""));
        } else if (response.status === 409) {
          dirty = true;
          showConflict(answer);
        } else {
          dirty = true;
          say("Not saved: " + (answer.message || "the server refused it (" + response.status + ")") +
            " Your text is still here.");
        }
      });
    }).catch(function () {
      saving = false;
      dirty = true;
      say("Not saved: check your connection. Your text is still here and kept in this tab.");
    });
  }
  function scheduleSave() {
    window.clearTimeout(saveTimer);
    saveTimer = window.setTimeout(save, 2000);
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { save(true); }
  });
  form.addEventListener("submit", function () { remember(); });

  // ---- Two saves at once: both texts, the author chooses ----
  var panel = document.getElementById("conflict-panel");
  var pendingBase = null, pendingTitle = null;
  function showTitle(id, value, differ) {
    var line = document.getElementById(id);
    line.textContent = "Title: " + value;
    line.hidden = !differ;  // titles are shown only when they are part of the difference
  }
  function showConflict(answer) {
    inConflict = true;
    pendingBase = answer.based_on;
    pendingTitle = answer.theirs_title || title.value;
    var differ = (answer.mine_title || title.value) !== pendingTitle;
    document.getElementById("conflict-message").textContent = answer.message || "";
    showTitle("conflict-mine-title", answer.mine_title || title.value, differ);
    showTitle("conflict-theirs-title", pendingTitle, differ);
    document.getElementById("conflict-mine").textContent = answer.mine || "";
    document.getElementById("conflict-theirs").textContent = answer.theirs || "";
    panel.hidden = false;
    say("Not saved: this module was saved somewhere else. Choose which text to keep.");
    document.getElementById("conflict-heading").focus();
  }
  function closeConflict() { inConflict = false; panel.hidden = true; text.focus(); }
  document.getElementById("keep-mine").addEventListener("click", function () {
    basedOn.value = pendingBase;
    closeConflict();
    dirty = true;
    save();
  });
  document.getElementById("take-theirs").addEventListener("click", function () {
    text.value = document.getElementById("conflict-theirs").textContent;
    title.value = pendingTitle;
    basedOn.value = pendingBase;
    dirty = false;
    forget();
    closeConflict();
    say("You are editing the saved text.");
    schedulePreview();
  });

  // ---- The live preview: the server renders it, as import would ----
  var asked = 0;  // answers can overtake each other: only the newest question's is shown
  function refreshPreview() {
    var mine = ++asked;
    var body = new FormData();
    body.append("csrf_token", token);
    body.append("body", text.value);
    fetch(form.dataset.previewUrl, {
      method: "POST", body: body, credentials: "same-origin", headers: { "X-CSRFToken": token }
    }).then(function (response) {
      return response.text().then(function (html) {
        if (mine !== asked) { return; }
        if (response.ok) { preview.innerHTML = html; }  // sanitised by the server's pipeline
        else { say("The preview could not be updated (" + response.status + ")."); }
      });
    }).catch(function () { /* offline: the last preview stays */ });
  }
  function schedulePreview() {
    window.clearTimeout(previewTimer);
    previewTimer = window.setTimeout(refreshPreview, 400);
  }
  function changed() { dirty = true; remember(); schedulePreview(); scheduleSave(); }
  text.addEventListener("input", changed);
  title.addEventListener("input", function () { dirty = true; remember(); scheduleSave(); });

  // Text or a title typed before this script ran (a slow connection) is kept and saved like
  // any other change.
  if (!dirty && (text.value !== text.defaultValue || title.value !== title.defaultValue)) {
    changed();
  }

  // ---- The toolbar ----
  function insert(before, after, placeholder) {
    var start = text.selectionStart, end = text.selectionEnd;
    var chosen = text.value.slice(start, end) || placeholder || "";
    text.setRangeText(before + chosen + (after || ""), start, end, "end");
    if (!after && placeholder === undefined) { text.setSelectionRange(start + before.length, start + before.length); }
    else { text.setSelectionRange(start + before.length, start + before.length + chosen.length); }
    text.focus();
    changed();
  }
  function block(lines) {
    var start = text.selectionStart, value = text.value;
    var lead = start === 0 || value.slice(0, start).endsWith("\n\n") ? ""
      : (value.slice(0, start).endsWith("\n") ? "\n" : "\n\n");
    var chunk = lead + lines.join("\n") + "\n\n";
    text.setRangeText(chunk, start, text.selectionEnd, "end");
    text.focus();
    changed();
  }
  function prefixLines(prefix) {
    var start = text.value.lastIndexOf("\n", text.selectionStart - 1) + 1;
    var end = text.selectionEnd;
    var lines = text.value.slice(start, end).split("\n");
    var n = 0;
    var out = lines.map(function (line) {
      n += 1;
      var mark = typeof prefix === "function" ? prefix(n) : prefix;
      return mark + line.replace(/^(#{1,6} |[-*] |\d+\. )/, "");
    }).join("\n");
    text.setRangeText(out, start, end, "end");
    text.focus();
    changed();
  }
  function selected(select) {
    return Array.prototype.filter.call(select.options, function (o) { return o.selected; })
      .map(function (o) { return o.value; });
  }
  var actions = {
    h2: function () { prefixLines("## "); },
    h3: function () { prefixLines("### "); },
    bold: function () { insert("**", "**", "bold text"); },
    italic: function () { insert("*", "*", "text in italics"); },
    bullets: function () { prefixLines("- "); },
    numbers: function () { prefixLines(function (n) { return n + ". "; }); },
    table: function () {
      block(["| Column 1 | Column 2 |", "| --- | --- |", "| Text | Text |", "| Text | Text |"]);
    },
    link: function () { insert("[", "](https://)", "link text"); },
    checked: function () {
      block(["::: checked " + data.today + " [@" + (data.references[0] ? data.references[0].id : "source") + "]",
        "The fact as the source gives it today.", ":::"]);
    },
    keypoint: function () {
      block(["::: keypoint A short title", "The one thing to remember from this passage.", ":::"]);
    },
    citation: function () {
      var ref = document.getElementById("cite-ref").value;
      if (ref) { insert("[@" + ref + "]", "", undefined); }
    },
    evidence: function () {
      var claim = document.getElementById("evidence-claim").value;
      var refs = selected(document.getElementById("evidence-refs"));
      var cites = refs.length ? " [" + refs.map(function (r) { return "@" + r; }).join("; ") + "]" : "";
      block(["::: evidence " + (claim || "CLAIM-ID") + cites, "What the evidence says, in your words.", ":::"]);
    },
    figure: function () {
      var path = document.getElementById("figure-pick").value;
      var figure = data.figures.filter(function (f) { return f.path === path; })[0];
      if (figure) { block([figure.snippet]); }
    }
  };
  function option(select, value, label) {
    var o = document.createElement("option");
    o.value = value;
    o.textContent = label;
    select.appendChild(o);
  }
  function fill() {
    var cite = document.getElementById("cite-ref"), refs = document.getElementById("evidence-refs");
    var claims = document.getElementById("evidence-claim"), figs = document.getElementById("figure-pick");
    [cite, refs, claims, figs].forEach(function (s) { s.textContent = ""; });
    data.references.forEach(function (r) {
      option(cite, r.id, r.label + " (" + r.id + ")");
      option(refs, r.id, r.label + " (" + r.id + ")");
    });
    data.claims.forEach(function (c) { option(claims, c.id, c.claim + " (" + c.verdict + ")"); });
    data.figures.forEach(function (f) { option(figs, f.path, f.path + " (" + f.width + "×" + f.height + " px)"); });
  }
  fill();
  var toolbar = form.querySelector(".editor-toolbar");
  toolbar.hidden = false;
  form.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-insert], button[data-panel]");
    if (!button) { return; }
    if (button.dataset.panel) {
      var target = document.getElementById(button.dataset.panel);
      var open = target.hidden;
      form.querySelectorAll(".toolbar-panel").forEach(function (p) { p.hidden = true; });
      toolbar.querySelectorAll("[data-panel]").forEach(function (b) { b.setAttribute("aria-expanded", "false"); });
      target.hidden = !open;
      button.setAttribute("aria-expanded", open ? "true" : "false");
      if (open) { target.querySelector("select").focus(); }
      return;
    }
    actions[button.dataset.insert]();
  });
  // A toolbar is one tab stop; arrow keys move between its buttons.
  var buttons = Array.prototype.slice.call(toolbar.querySelectorAll("button"));
  buttons.forEach(function (b, i) { b.tabIndex = i === 0 ? 0 : -1; });
  toolbar.addEventListener("keydown", function (event) {
    var i = buttons.indexOf(document.activeElement);
    if (i < 0) { return; }
    var next = event.key === "ArrowRight" ? i + 1 : event.key === "ArrowLeft" ? i - 1
      : event.key === "Home" ? 0 : event.key === "End" ? buttons.length - 1 : null;
    if (next === null) { return; }
    event.preventDefault();
    next = (next + buttons.length) % buttons.length;
    buttons[i].tabIndex = -1;
    buttons[next].tabIndex = 0;
    buttons[next].focus();
  });

  // ---- Figure upload: stored through the server's checks, then put into the text ----
  var figureForm = document.getElementById("figure-form");
  var figureStatus = document.getElementById("figure-status");
  figureForm.addEventListener("submit", function (event) {
    event.preventDefault();
    figureStatus.textContent = "Uploading…";
    fetch(figureForm.action, {
      method: "POST", body: new FormData(figureForm), credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": token }
    }).then(function (response) {
      return response.json().catch(function () {
        return { message: response.status === 413 ? "the file is larger than 1 MB" : "" };
      }).then(function (answer) {
        if (!response.ok) {
          figureStatus.textContent = "Not uploaded: " + (answer.message || response.status);
          return;
        }
        if (!data.figures.some(function (f) { return f.path === answer.path; })) {
          data.figures.push({ path: answer.path, width: answer.width, height: answer.height, snippet: answer.snippet });
          fill();
        }
        block([answer.snippet]);
        figureStatus.textContent = answer.path + " is uploaded and put into the text. Write what it shows and its caption.";
        figureForm.reset();
      });
    }).catch(function () { figureStatus.textContent = "Not uploaded: check your connection."; });
  });
}());
