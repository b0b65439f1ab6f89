/* Pastel: diagrams and math in Markdown pastes (issue 17).
 * Loaded only by pages whose document holds them. The server leaves them
 * inert: <pre class="mermaid"> and <span|div class="math …"> holding the
 * escaped source, which is what readers without JavaScript see.
 *
 * Math: KaTeX (vendored, loaded before this file) renders each element in
 * place; its DOM output sets styles through CSSOM, which the page's CSP
 * (style-src 'self') allows.
 *
 * Diagrams: Mermaid writes <style> elements and style attributes, which
 * the page's CSP forbids. So Mermaid runs in one hidden frame
 * (sandbox="allow-scripts", an opaque origin with its own CSP, no access to
 * this page, its cookies or its storage); this page sends it each
 * diagram's source and gets back an SVG document, shown as an <img> from a
 * data: URL: an image runs no script and keeps its styles to itself.
 */
(function () {
  "use strict";

  var me = document.currentScript;
  var frameURL = me ? me.getAttribute("data-rich-frame") : "";

  function dark() {
    var t = document.documentElement.getAttribute("data-theme");
    if (t) return t === "dark";
    return !!(window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches);
  }

  /* ---- math ---- */
  function renderMath() {
    if (!window.katex) return;
    var els = document.querySelectorAll(".markdown .math");
    for (var i = 0; i < els.length; i++) {
      var el = els[i];
      var src = el.textContent;
      try {
        window.katex.render(src, el, {
          displayMode: el.classList.contains("math-display"),
          throwOnError: false,
          trust: false,
          strict: "ignore",
          maxSize: 50,
          maxExpand: 1000
        });
        el.classList.add("rendered");
        el.setAttribute("data-source", src);
      } catch (e) {
        el.textContent = src;
        el.classList.add("math-error");
      }
    }
  }

  /* ---- diagrams ---- */
  function renderDiagrams() {
    var blocks = document.querySelectorAll(".markdown pre.mermaid");
    if (blocks.length === 0 || !frameURL) return;
    var frame = document.createElement("iframe");
    frame.setAttribute("sandbox", "allow-scripts");
    frame.setAttribute("aria-hidden", "true");
    frame.setAttribute("tabindex", "-1");
    frame.className = "mermaid-frame";
    frame.title = "Diagram renderer";
    var pending = {};
    window.addEventListener("message", function (ev) {
      if (ev.source !== frame.contentWindow) return;
      var d = ev.data;
      if (!d || typeof d !== "object") return;
      if (d.type === "csp") {
        console.error("diagram frame: Content-Security-Policy refused " + d.directive + " " + d.blocked);
        return;
      }
      if (d.type === "ready") {
        for (var i = 0; i < blocks.length; i++) {
          pending["d" + i] = blocks[i];
          frame.contentWindow.postMessage({ type: "render", id: "d" + i, source: blocks[i].textContent, dark: dark() }, "*");
        }
        return;
      }
      if (d.type !== "svg" || typeof d.id !== "string" || !pending[d.id]) return;
      var pre = pending[d.id];
      delete pending[d.id];
      if (typeof d.svg !== "string" || d.svg.indexOf("<svg") < 0) {
        pre.classList.add("mermaid-error");
        pre.setAttribute("title", typeof d.error === "string" ? d.error : "This diagram could not be drawn");
        return;
      }
      var fig = document.createElement("figure");
      fig.className = "mermaid-diagram";
      var img = document.createElement("img");
      img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(d.svg);
      img.alt = "Diagram: " + pre.textContent.slice(0, 300);
      img.setAttribute("data-testid", "mermaid-svg");
      // Mermaid sizes its SVG to 100% with a max-width: draw it at that
      // width (or less, in a narrow window), not stretched to the column.
      var m = /max-width:\s*([0-9.]+)px/.exec(d.svg);
      if (m) img.width = Math.round(parseFloat(m[1]));
      fig.appendChild(img);
      pre.hidden = true;
      pre.parentNode.insertBefore(fig, pre);
    });
    frame.src = frameURL;
    document.body.appendChild(frame);
  }

  function start() {
    renderMath();
    renderDiagrams();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
