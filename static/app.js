/* Pastel: small progressive enhancements. No inline scripts, no eval:
 * everything here runs from the one bundled script under a strict CSP.
 * Behaviour is attached by event delegation, so content swapped in by htmx
 * works without re-binding; per-element state is refreshed on htmx:load. */
(function () {
  "use strict";

  /* ---- paste editor: Tab inserts a tab, Ctrl/Cmd+Enter submits ---- */

  // After Esc, the next Tab leaves the textarea (keyboard users' way out).
  var tabEscaped = false;

  function insertTab(ta) {
    // execCommand keeps the browser's undo stack; setRangeText is the fallback.
    var ok = false;
    try { ok = document.execCommand("insertText", false, "\t"); } catch (e) { ok = false; }
    if (!ok) {
      ta.setRangeText("\t", ta.selectionStart, ta.selectionEnd, "end");
      ta.dispatchEvent(new Event("input", { bubbles: true }));
    }
  }

  document.addEventListener("keydown", function (ev) {
    var ta = ev.target;
    if (!(ta instanceof HTMLTextAreaElement) || !ta.hasAttribute("data-editor")) return;
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) {
      ev.preventDefault();
      if (ta.form) {
        if (typeof ta.form.requestSubmit === "function") ta.form.requestSubmit();
        else ta.form.submit();
      }
      return;
    }
    if (ev.key === "Escape") { tabEscaped = true; return; }
    if (ev.key === "Tab") {
      if (ev.shiftKey || ev.ctrlKey || ev.altKey || ev.metaKey || tabEscaped) { tabEscaped = false; return; }
      ev.preventDefault();
      insertTab(ta);
      return;
    }
    tabEscaped = false;
  });
  document.addEventListener("focusout", function () { tabEscaped = false; });

  /* ---- line links: #L10 and #L10-L20 ---- */

  var anchorLine = 0; // the line a shift-click extends from

  function parseHash(hash) {
    var m = /^#L(\d+)(?:-L?(\d+))?$/.exec(hash || "");
    if (!m) return null;
    var a = parseInt(m[1], 10), b = m[2] ? parseInt(m[2], 10) : a;
    if (a > b) { var t = a; a = b; b = t; }
    return { from: a, to: b };
  }

  // The comment form's line fields follow the selected lines, so a
  // comment posted now is about them (issue 17); typed by hand without JS.
  function fillLineFields(range) {
    var start = document.querySelector("[data-line-field=start]");
    var end = document.querySelector("[data-line-field=end]");
    if (!start || !end || !range) return;
    start.value = String(range.from);
    end.value = range.to !== range.from ? String(range.to) : "";
  }

  function highlight(range, scroll) {
    fillLineFields(range);
    var old = document.querySelectorAll(".line.hl");
    for (var i = 0; i < old.length; i++) old[i].classList.remove("hl");
    if (!range) return;
    var first = null;
    // Cap the loop so a hostile hash like #L1-L999999999 stays cheap.
    for (var n = range.from; n <= range.to && n - range.from < 100000; n++) {
      var el = document.getElementById("L" + n);
      if (!el) { if (n > range.from) break; continue; }
      el.classList.add("hl");
      if (!first) first = el;
    }
    if (first && scroll) first.scrollIntoView({ block: "center" });
  }

  function highlightFromHash(scroll) {
    var r = parseHash(location.hash);
    if (r) anchorLine = r.from;
    highlight(r, scroll);
  }

  window.addEventListener("hashchange", function () { highlightFromHash(true); });

  document.addEventListener("click", function (ev) {
    var a = ev.target instanceof Element ? ev.target.closest("a.ln") : null;
    if (!a || ev.button !== 0 || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var line = a.closest(".line");
    var m = line ? /^L(\d+)$/.exec(line.id) : null;
    if (!m) return;
    ev.preventDefault();
    var n = parseInt(m[1], 10);
    var hash;
    if (ev.shiftKey && anchorLine) {
      var from = Math.min(anchorLine, n), to = Math.max(anchorLine, n);
      hash = from === to ? "#L" + from : "#L" + from + "-L" + to;
      highlight({ from: from, to: to }, false);
    } else {
      hash = "#L" + n;
      anchorLine = n;
      highlight({ from: n, to: n }, false);
    }
    history.replaceState(history.state, "", hash);
    // Shift-click would otherwise select text across lines.
    var sel = window.getSelection && window.getSelection();
    if (ev.shiftKey && sel) sel.removeAllRanges();
  });

  /* ---- copy buttons: <button data-copy="element-id"> ---- */

  function textOf(el) {
    var lines = el.querySelectorAll(".cl");
    if (lines.length === 0) return el.textContent;
    var out = [];
    for (var i = 0; i < lines.length; i++) out.push(lines[i].textContent.replace(/\r?\n$/, ""));
    return out.join("\n");
  }

  function fallbackCopy(text) {
    var ta = document.createElement("textarea");
    ta.value = text;
    ta.setAttribute("readonly", "");
    ta.className = "offscreen";
    document.body.appendChild(ta);
    ta.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(ta);
    return ok ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  }

  function flash(btn, label) {
    if (!btn.hasAttribute("data-label")) btn.setAttribute("data-label", btn.textContent);
    btn.textContent = label;
    btn.classList.add("copied");
    clearTimeout(btn._pastelTimer);
    btn._pastelTimer = setTimeout(function () {
      btn.textContent = btn.getAttribute("data-label");
      btn.classList.remove("copied");
    }, 1600);
  }

  document.addEventListener("click", function (ev) {
    var btn = ev.target instanceof Element ? ev.target.closest("[data-copy]") : null;
    if (!btn) return;
    var el = document.getElementById(btn.getAttribute("data-copy"));
    if (!el) return;
    ev.preventDefault();
    var text = textOf(el);
    var p = navigator.clipboard && window.isSecureContext
      ? navigator.clipboard.writeText(text).catch(function () { return fallbackCopy(text); })
      : fallbackCopy(text);
    p.then(function () { flash(btn, "Copied"); }, function () { flash(btn, "Copy failed"); });
  });

  /* ---- tree views: each node's button copies its path (.items[3].name);
   * the buttons are hidden until this script can work them ---- */

  function showPathButtons(root) {
    if (!root.querySelectorAll) return;
    var btns = root.querySelectorAll("[data-copy-path][hidden]");
    for (var i = 0; i < btns.length; i++) btns[i].hidden = false;
  }

  document.addEventListener("click", function (ev) {
    var btn = ev.target instanceof Element ? ev.target.closest("[data-copy-path]") : null;
    if (!btn) return;
    ev.preventDefault(); // inside a <summary>: copy without folding the node
    var text = btn.getAttribute("data-copy-path");
    var p = navigator.clipboard && window.isSecureContext
      ? navigator.clipboard.writeText(text).catch(function () { return fallbackCopy(text); })
      : fallbackCopy(text);
    p.then(function () { flash(btn, "Copied " + text); }, function () { flash(btn, "Copy failed"); });
  });

  /* ---- Cancel in a form inside <details> (comment edit and reply): puts
   * the text back and closes it; without JavaScript the summary closes it ---- */

  document.addEventListener("click", function (ev) {
    var btn = ev.target instanceof Element ? ev.target.closest("[data-close-details]") : null;
    if (!btn) return;
    var details = btn.closest("details");
    if (btn.form) btn.form.reset();
    if (details) {
      details.open = false;
      var summary = details.querySelector("summary");
      if (summary) summary.focus();
    }
  });

  /* ---- confirmation for destructive forms: <form data-confirm="..."> ---- */

  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (!(form instanceof HTMLFormElement)) return;
    var msg = form.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) { ev.preventDefault(); ev.stopImmediatePropagation(); }
  }, true);

  /* ---- size check: <textarea data-max-bytes="N"> refuses to submit a
   * body over the server's limit, and says so in words, before uploading ---- */

  // humanBytes matches views.HumanBytes: 1024-based, one decimal, ".0" dropped.
  function humanBytes(n) {
    if (n < 1024) return n + " B";
    var units = ["KiB", "MiB", "GiB", "TiB"], v = n / 1024, i = 0;
    while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
    return v.toFixed(1).replace(/\.0$/, "") + " " + units[i];
  }

  function utf8Length(s) {
    if (typeof TextEncoder === "function") return new TextEncoder().encode(s).length;
    return unescape(encodeURIComponent(s)).length;
  }

  function sizeError(ta, message) {
    var id = ta.id + "-size-error";
    var el = document.getElementById(id);
    if (!message) {
      if (el) {
        el.parentNode.removeChild(el);
        ta.removeAttribute("aria-invalid");
      }
      return;
    }
    if (!el) {
      el = document.createElement("span");
      el.id = id;
      el.className = "field-error";
      el.setAttribute("role", "alert");
      el.setAttribute("data-testid", "size-error");
      // Above the editor: below it, a long text (or the sticky actions)
      // would hide it.
      ta.insertAdjacentElement("beforebegin", el);
    }
    el.textContent = message;
    ta.setAttribute("aria-invalid", "true");
  }

  function oversize(ta) {
    var max = parseInt(ta.getAttribute("data-max-bytes"), 10);
    if (!(max > 0)) return "";
    var n = utf8Length(ta.value);
    if (n <= max) return "";
    return "This paste is " + humanBytes(n) + "; the limit is " + humanBytes(max) + ". Shorten it before creating it.";
  }

  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (!(form instanceof HTMLFormElement)) return;
    var ta = form.querySelector("textarea[data-max-bytes]");
    if (!ta) return;
    var msg = oversize(ta);
    sizeError(ta, msg);
    if (msg) {
      // Stops htmx too: it listens on the form, below this capture.
      ev.preventDefault();
      ev.stopImmediatePropagation();
      ta.focus();
    }
  }, true);

  // Once the text fits again, the message goes.
  var sizeTimer = null;
  document.addEventListener("input", function (ev) {
    var ta = ev.target;
    if (!(ta instanceof HTMLTextAreaElement) || !ta.hasAttribute("data-max-bytes")) return;
    if (!document.getElementById(ta.id + "-size-error")) return;
    clearTimeout(sizeTimer);
    sizeTimer = setTimeout(function () { if (!oversize(ta)) sizeError(ta, ""); }, 200);
  });

  /* ---- expiry countdowns: <time data-countdown datetime="RFC 3339"> ---- */

  function countdownText(ms) {
    if (ms <= 0) return "expired";
    var s = Math.floor(ms / 1000);
    var d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600);
    var m = Math.floor((s % 3600) / 60), sec = s % 60;
    var parts;
    if (d > 0) parts = d + "d " + h + "h";
    else if (h > 0) parts = h + "h " + m + "m";
    else if (m > 0) parts = m + "m " + sec + "s";
    else parts = sec + "s";
    return "expires in " + parts;
  }

  var countdownTimer = null;

  function tickCountdowns() {
    var els = document.querySelectorAll("time[data-countdown]");
    var now = Date.now();
    for (var i = 0; i < els.length; i++) {
      var t = Date.parse(els[i].getAttribute("datetime"));
      if (isNaN(t)) continue;
      var txt = countdownText(t - now);
      if (els[i].textContent !== txt) els[i].textContent = txt;
      els[i].classList.toggle("expired", t <= now);
    }
    if (els.length === 0 && countdownTimer) { clearInterval(countdownTimer); countdownTimer = null; }
  }

  function startCountdowns() {
    if (!document.querySelector("time[data-countdown]")) return;
    tickCountdowns();
    if (!countdownTimer) countdownTimer = setInterval(tickCountdowns, 1000);
  }

  /* ---- htmx: failed requests get a visible message instead of silence ---- */

  // toast shows message; with reload, a "Reload the page" button too, and
  // it stays until dismissed by reloading (a stale form cannot be retried).
  function toast(message, reload) {
    var box = document.createElement("div");
    box.className = "toast";
    box.setAttribute("role", "alert");
    box.setAttribute("data-testid", "toast");
    var text = document.createElement("span");
    text.textContent = message;
    box.appendChild(text);
    if (reload) {
      var btn = document.createElement("button");
      btn.type = "button";
      btn.className = "btn btn-sm toast-action";
      btn.textContent = "Reload the page";
      btn.addEventListener("click", function () { location.reload(); });
      box.appendChild(btn);
      document.body.appendChild(box);
      return;
    }
    document.body.appendChild(box);
    setTimeout(function () { box.classList.add("toast-out"); }, 6000);
    setTimeout(function () { if (box.parentNode) box.parentNode.removeChild(box); }, 6600);
  }

  // serverMessage is the sentence the server's error fragment gives
  // (data-testid="error-message", else its title); parsed inertly, never run.
  function serverMessage(xhr) {
    var type = xhr && xhr.getResponseHeader && xhr.getResponseHeader("Content-Type");
    if (!xhr || !xhr.responseText || !type || type.indexOf("text/html") !== 0) return "";
    try {
      var doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
      var el = doc.querySelector("[data-testid=error-message]") || doc.querySelector("[data-testid=error-title]");
      return el ? el.textContent.replace(/\s+/g, " ").trim() : "";
    } catch (e) {
      return "";
    }
  }

  document.addEventListener("htmx:responseError", function (ev) {
    var xhr = ev.detail && ev.detail.xhr;
    var status = xhr ? xhr.status : 0;
    var msg = serverMessage(xhr);
    if (status === 403 && /reload/i.test(msg)) {
      toast(msg, true); // a stale form or CSRF token: only a reload helps
      return;
    }
    if (!msg) msg = status === 429 ? "Too many requests. Wait a moment and try again." : "Something went wrong. Please try again.";
    toast(msg, false);
  });
  document.addEventListener("htmx:sendError", function () {
    toast("Could not reach the server. Check your connection and try again.");
  });

  /* ---- (re)initialise: first load and every htmx swap ---- */

  function init(root) {
    highlightFromHash(root === document.body);
    startCountdowns();
    showPathButtons(root);
    // After a form comes back with errors, put the cursor on the first bad field.
    var bad = root.querySelector && root.querySelector("[aria-invalid=true]");
    if (bad && root !== document.body) bad.focus();
  }

  document.addEventListener("htmx:load", function (ev) { init(ev.target === document ? document.body : ev.target); });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { init(document.body); });
  } else {
    init(document.body);
  }
})();

/* ==== syntax picker (owned with internal/render's syntax list) ==========
 * Enhances <input data-syntax-picker list="…"> into a searchable list: the
 * options are the datalist's labels, filtered by what is typed (anywhere in
 * the label, prefix matches first). Picking puts the label in the input; the
 * server accepts labels, so the form works the same without this script. */
(function () {
  "use strict";

  var MAX_SHOWN = 60;
  var seq = 0;

  function labelsOf(input) {
    var id = input.getAttribute("list") || input.getAttribute("data-syntax-list");
    var dl = id && document.getElementById(id);
    if (!dl) return [];
    return Array.prototype.map.call(dl.querySelectorAll("option"), function (o) { return o.value; });
  }

  function enhance(input) {
    if (input.hasAttribute("data-picker-ready")) return;
    var labels = labelsOf(input);
    if (!labels.length) return;
    input.setAttribute("data-picker-ready", "");
    // The native datalist popup would compete with ours.
    input.setAttribute("data-syntax-list", input.getAttribute("list"));
    input.removeAttribute("list");

    var listID = "syntax-picker-" + (++seq);
    var list = document.createElement("ul");
    list.id = listID;
    list.className = "syntax-picker";
    list.setAttribute("role", "listbox");
    list.setAttribute("data-testid", "syntax-options");
    list.hidden = true;
    input.insertAdjacentElement("afterend", list);
    input.parentElement.classList.add("syntax-picker-field");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", listID);
    input.setAttribute("aria-expanded", "false");

    var active = -1;

    function items() { return list.querySelectorAll("[role=option]"); }

    function setActive(i) {
      var all = items();
      if (!all.length) { active = -1; input.removeAttribute("aria-activedescendant"); return; }
      active = (i + all.length) % all.length;
      all.forEach(function (li, j) { li.setAttribute("aria-selected", j === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", all[active].id);
      all[active].scrollIntoView({ block: "nearest" });
    }

    function close() {
      list.hidden = true;
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function open() {
      // Only for the person typing here: a value set by a script (the
      // bookmarklet's draft, autofill) must not pop a list over the form.
      if (document.activeElement !== input) return;
      var q = input.value.trim().toLowerCase();
      var starts = [], contains = [];
      labels.forEach(function (l) {
        var i = l.toLowerCase().indexOf(q);
        if (i === 0) starts.push(l); else if (i > 0) contains.push(l);
      });
      var shown = starts.concat(contains).slice(0, MAX_SHOWN);
      list.textContent = "";
      shown.forEach(function (l, j) {
        var li = document.createElement("li");
        li.id = listID + "-" + j;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.textContent = l;
        list.appendChild(li);
      });
      if (!shown.length) {
        var none = document.createElement("li");
        none.className = "syntax-picker-empty";
        none.textContent = "No such syntax";
        list.appendChild(none);
      }
      // Open upwards when the viewport has no room below (a phone's
      // keyboard, the foot of the page).
      var r = input.getBoundingClientRect();
      var below = window.innerHeight - r.bottom;
      list.classList.toggle("syntax-picker-up", below < 220 && r.top > below);
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
      if (q && shown.length) setActive(0);
    }

    function pick(label) {
      input.value = label;
      close();
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }

    input.addEventListener("input", open);
    input.addEventListener("focus", function () { if (list.hidden) open(); });
    input.addEventListener("blur", close);
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
        ev.preventDefault();
        if (list.hidden) open();
        setActive(active + (ev.key === "ArrowDown" ? 1 : -1));
      } else if (ev.key === "Enter" && !list.hidden && active >= 0) {
        ev.preventDefault(); // pick, do not submit the form yet
        pick(items()[active].textContent);
      } else if (ev.key === "Escape" && !list.hidden) {
        ev.preventDefault();
        close();
      }
    });
    // mousedown, not click: it comes before the input's blur closes the list.
    list.addEventListener("mousedown", function (ev) {
      var li = ev.target.closest && ev.target.closest("[role=option]");
      ev.preventDefault();
      if (li) pick(li.textContent);
    });
  }

  function scan(root) {
    (root.querySelectorAll ? root : document).querySelectorAll("input[data-syntax-picker]").forEach(enhance);
  }

  document.addEventListener("htmx:load", function (ev) { scan(ev.target || document); });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { scan(document); });
  } else {
    scan(document);
  }
})();

/* ---- several files in the paste form (issue 15): Add file, Remove, a
   file picker and files dropped on the form. Text files dropped become
   editable blocks (the first fills the main text when that is empty);
   binary files join the picker's files, uploaded as they are. ---- */
(function () {
  "use strict";

  function looksBinary(text) { return text.indexOf("\u0000") >= 0; }

  function enhance(zone) {
    if (zone.dataset.filesReady) return;
    zone.dataset.filesReady = "1";
    var form = zone.closest("form");
    var list = zone.querySelector("[data-file-list]");
    var picker = zone.querySelector("[data-file-picker]");
    var picked = zone.querySelector("[data-picked-files]");
    var add = zone.querySelector("[data-add-file]");
    var mainName = form && form.querySelector("[data-main-name]");
    var main = form && form.querySelector("textarea[name=content]");
    if (!form || !list || !add) return;
    add.hidden = false;

    function showMainName() {
      if (mainName) mainName.hidden = false;
      if (main) main.required = false; // the files may be all there is
    }
    function el(tag, attrs) {
      var e = document.createElement(tag);
      Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
      return e;
    }
    // One further file, as the server renders it (views.fileBlock).
    function addBlock(name, content) {
      var block = el("div", { "class": "file-block", "data-file-block": "", "data-testid": "file-block" });
      var head = el("div", { "class": "file-block-head" });
      var input = el("input", { type: "text", name: "file_name", maxlength: "100", placeholder: "name.ext",
        "aria-label": "File name", autocomplete: "off", "data-testid": "file-name-input" });
      var remove = el("button", { type: "button", "class": "btn btn-ghost btn-sm", "data-remove-file": "", "data-testid": "remove-file" });
      remove.textContent = "Remove";
      var text = el("textarea", { name: "file_content", "class": "code-input", rows: "8", spellcheck: "false",
        autocapitalize: "off", autocomplete: "off", wrap: "off", "aria-label": "File content", "data-testid": "file-content-input" });
      input.value = name || "";
      text.value = content || "";
      head.appendChild(input);
      head.appendChild(remove);
      block.appendChild(head);
      block.appendChild(text);
      list.appendChild(block);
      showMainName();
      return block;
    }
    function showPicked() {
      if (!picked || !picker) return;
      picked.textContent = "";
      Array.prototype.forEach.call(picker.files, function (f) {
        var li = document.createElement("li");
        li.textContent = f.name;
        picked.appendChild(li);
      });
      if (picker.files.length) showMainName();
    }
    function addUploads(files) {
      if (!picker || typeof DataTransfer === "undefined") return;
      var dt = new DataTransfer();
      Array.prototype.forEach.call(picker.files, function (f) { dt.items.add(f); });
      files.forEach(function (f) { dt.items.add(f); });
      picker.files = dt.files;
      showPicked();
    }

    add.addEventListener("click", function () {
      var block = addBlock("", "");
      block.querySelector("input[name=file_name]").focus();
    });
    list.addEventListener("click", function (ev) {
      var btn = ev.target instanceof Element ? ev.target.closest("[data-remove-file]") : null;
      if (btn) btn.closest("[data-file-block]").remove();
    });
    if (picker) picker.addEventListener("change", showPicked);

    form.addEventListener("dragover", function (ev) {
      if (ev.dataTransfer && Array.prototype.indexOf.call(ev.dataTransfer.types || [], "Files") >= 0) {
        ev.preventDefault();
        form.classList.add("dropping");
      }
    });
    form.addEventListener("dragleave", function () { form.classList.remove("dropping"); });
    form.addEventListener("drop", function (ev) {
      if (!ev.dataTransfer || !ev.dataTransfer.files || !ev.dataTransfer.files.length) return;
      ev.preventDefault();
      form.classList.remove("dropping");
      var files = Array.prototype.slice.call(ev.dataTransfer.files);
      var maxBytes = main ? Number(main.getAttribute("data-max-bytes") || 0) : 0;
      Promise.all(files.map(function (f) {
        if (maxBytes && f.size > maxBytes) return Promise.resolve({ file: f, binary: true });
        return f.text().then(function (text) {
          return { file: f, text: text, binary: looksBinary(text) };
        });
      })).then(function (read) {
        var uploads = [];
        read.forEach(function (r) {
          if (r.binary) { uploads.push(r.file); return; }
          var nameInput = form.querySelector("input[name=filename]");
          if (main && main.value.trim() === "" && nameInput && nameInput.value === "") {
            main.value = r.text;
            nameInput.value = r.file.name;
            showMainName();
            main.dispatchEvent(new Event("input", { bubbles: true }));
          } else {
            addBlock(r.file.name, r.text);
          }
        });
        if (uploads.length) addUploads(uploads);
        form.dispatchEvent(new CustomEvent("pastel:files-dropped", { bubbles: true }));
      });
    });
  }

  function scan(root) {
    (root.querySelectorAll ? root : document).querySelectorAll("[data-files]").forEach(enhance);
  }
  document.addEventListener("htmx:load", function (ev) { scan(ev.target || document); });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { scan(document); });
  } else {
    scan(document);
  }
})();
