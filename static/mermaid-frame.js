/* Pastel: the sandboxed diagram frame (issue 17). Runs in an opaque origin
 * (sandbox="allow-scripts", also set by this page's own CSP), so whatever
 * a diagram's source does, it reaches neither the paste page nor its
 * cookies. It draws each diagram it is sent with Mermaid (strict security
 * level: no HTML labels, no click handlers) and posts back the SVG. */
(function () {
  "use strict";
  if (!window.mermaid || window.parent === window) return;
  var mermaid = window.mermaid;
  var theme = null;

  function setup(dark) {
    var t = dark ? "dark" : "default";
    if (t === theme) return;
    theme = t;
    mermaid.initialize({
      startOnLoad: false,
      securityLevel: "strict",
      theme: t,
      htmlLabels: false,
      flowchart: { htmlLabels: false },
      fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
      maxTextSize: 50000,
      maxEdges: 500
    });
  }

  // A style or script this frame's CSP refused is a bug worth seeing: the
  // page that frames it says so in its console.
  document.addEventListener("securitypolicyviolation", function (ev) {
    window.parent.postMessage({ type: "csp", directive: ev.effectiveDirective, blocked: String(ev.blockedURI).slice(0, 100) }, "*");
  });

  var queue = Promise.resolve();
  window.addEventListener("message", function (ev) {
    if (ev.source !== window.parent) return;
    var d = ev.data;
    if (!d || d.type !== "render" || typeof d.id !== "string" || typeof d.source !== "string") return;
    queue = queue.then(function () {
      setup(!!d.dark);
      return mermaid.render("m" + d.id, d.source).then(function (out) {
        window.parent.postMessage({ type: "svg", id: d.id, svg: out.svg }, "*");
      }, function (err) {
        window.parent.postMessage({ type: "svg", id: d.id, error: String(err && err.message || err).slice(0, 300) }, "*");
      });
    });
  });
  window.parent.postMessage({ type: "ready" }, "*");
})();
