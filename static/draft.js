/* Pastel: the bookmarklet's draft page (GET /draft, marked [data-draft]).
 * The bookmarklet opened this window from another page; that page (the
 * opener) waits for "pastel-draft-ready" and answers with one message
 * {type: "pastel-draft", title, url, content}. This fills the new-paste form
 * with it, as values and text, never as HTML. It never submits the form:
 * the person reviews it and presses Create, through the normal CSRF-checked
 * POST. Anything else (other windows, other shapes, later messages) is
 * ignored. */
(function () {
  "use strict";

  var root = document.querySelector("[data-draft]");
  var opener = window.opener;
  if (!root || !opener) return;

  var MAX_TITLE = 200;    // characters; the server's limit
  var MAX_SOURCE = 2048;  // the server's limit for the source address

  // Control and bidirectional-override characters are refused in titles by
  // the server; a page title rarely has them, but they would fail the form.
  var unsafeTitle = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

  function cleanTitle(s) {
    // Array.from counts code points, so a truncated emoji is never split.
    return Array.from(s.replace(unsafeTitle, " ").trim()).slice(0, MAX_TITLE).join("");
  }

  // sourceURL returns the address as http(s) from the sender's own origin,
  // or "": a page can say where its text came from, but not that it came
  // from some other site, nor hand over a javascript: or data: address.
  function sourceURL(s, origin) {
    if (!s || s.length > MAX_SOURCE) return "";
    var u;
    try { u = new URL(s); } catch (e) { return ""; }
    if (u.protocol !== "http:" && u.protocol !== "https:") return "";
    if (u.origin !== origin) return "";
    return u.href.length > MAX_SOURCE ? "" : u.href;
  }

  function fill(d, origin) {
    var form = root.querySelector("form");
    if (!form) return;
    var title = form.querySelector('[name="title"]');
    var content = form.querySelector('[name="content"]');
    var source = form.querySelector('[name="source_url"]');
    if (title) title.value = cleanTitle(d.title);
    if (content) {
      content.value = d.content;
      content.dispatchEvent(new Event("input", { bubbles: true }));
    }
    var src = sourceURL(d.url, origin);
    if (source) source.value = src;
    var line = root.querySelector('[data-testid="draft-source"]');
    var text = root.querySelector("[data-draft-source]");
    if (line && text) {
      text.textContent = src;
      line.hidden = src === "";
    }
    if (content) content.focus();
  }

  var done = false;

  function onMessage(ev) {
    if (done || ev.source !== opener) return;
    var d = ev.data;
    if (!d || typeof d !== "object" || d.type !== "pastel-draft") return;
    if (typeof d.title !== "string" || typeof d.url !== "string" || typeof d.content !== "string") return;
    done = true; // only the first valid draft counts
    window.removeEventListener("message", onMessage);
    fill(d, ev.origin);
  }

  window.addEventListener("message", onMessage);
  // The ready signal carries no data, so any opener may hear it.
  try { opener.postMessage("pastel-draft-ready", "*"); } catch (e) { /* opener gone */ }
})();
