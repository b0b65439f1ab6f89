/* Pastel: the reader's remembered choices, applied before the first paint.
 * Loaded synchronously from <head> (not deferred, not bundled) so that the
 * stored theme is on <html> before anything is drawn: no flash of the wrong
 * theme. Everything else is attached by event delegation on document.
 *
 *   localStorage "pastel-theme": "light" | "dark" (absent: follow the system)
 *   localStorage "pastel-wrap":  "on" (absent: long lines scroll)
 */
(function () {
  "use strict";

  var root = document.documentElement;
  var THEME = "pastel-theme", WRAP = "pastel-wrap";
  var themes = ["system", "light", "dark"];
  var labels = { system: "Theme: system", light: "Theme: light", dark: "Theme: dark" };
  var marks = { system: "\u25D0", light: "\u2600", dark: "\u263E" };

  function load(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }
  function store(key, value) {
    try {
      if (value === null) window.localStorage.removeItem(key);
      else window.localStorage.setItem(key, value);
    } catch (e) { /* private mode: the choice lasts for this page only */ }
  }

  function theme() {
    var t = load(THEME);
    return t === "light" || t === "dark" ? t : "system";
  }
  function applyTheme(t) {
    if (t === "system") root.removeAttribute("data-theme");
    else root.setAttribute("data-theme", t);
  }
  function applyWrap(on) {
    if (on) root.setAttribute("data-wrap", "on");
    else root.removeAttribute("data-wrap");
  }

  // Before paint.
  root.setAttribute("data-js", "");
  applyTheme(theme());
  applyWrap(load(WRAP) === "on");

  function refreshControls() {
    var t = theme(), i, els;
    els = document.querySelectorAll("[data-theme-toggle]");
    for (i = 0; i < els.length; i++) {
      els[i].textContent = marks[t];
      els[i].setAttribute("aria-label", labels[t] + " (change)");
      els[i].setAttribute("title", labels[t]);
      els[i].setAttribute("data-current", t);
    }
    var wrapped = root.getAttribute("data-wrap") === "on";
    els = document.querySelectorAll("[data-wrap-toggle]");
    for (i = 0; i < els.length; i++) els[i].setAttribute("aria-pressed", wrapped ? "true" : "false");
  }

  document.addEventListener("click", function (ev) {
    var el = ev.target instanceof Element ? ev.target.closest("[data-theme-toggle], [data-wrap-toggle]") : null;
    if (!el) return;
    ev.preventDefault();
    if (el.hasAttribute("data-theme-toggle")) {
      var next = themes[(themes.indexOf(theme()) + 1) % themes.length];
      store(THEME, next === "system" ? null : next);
      applyTheme(next);
    } else {
      var on = root.getAttribute("data-wrap") !== "on";
      store(WRAP, on ? "on" : null);
      applyWrap(on);
    }
    refreshControls();
  });

  // Another tab changed a choice: follow it.
  window.addEventListener("storage", function (ev) {
    if (ev.key === THEME) applyTheme(theme());
    if (ev.key === WRAP) applyWrap(load(WRAP) === "on");
    refreshControls();
  });

  // A link to a line past the shown part of a long paste (#L6000 on a page
  // that shows 5,000 lines) opens the whole paste at that line.
  function followCutLine() {
    var cut = document.querySelector("[data-lines-shown]");
    if (!cut) return;
    var m = /^#L(\d+)/.exec(location.hash || "");
    if (!m || parseInt(m[1], 10) <= parseInt(cut.getAttribute("data-lines-shown"), 10)) return;
    var full = cut.getAttribute("data-full-url");
    if (full) location.replace(full + location.hash);
  }
  window.addEventListener("hashchange", followCutLine);

  function ready() { refreshControls(); followCutLine(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
  document.addEventListener("htmx:load", refreshControls);
})();
