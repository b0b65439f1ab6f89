/* Pastel: end-to-end encrypted pastes (issue 16), all in this browser.
 *
 * New-paste form ([data-encrypt-option]): shown only where WebCrypto is
 * available. With "Encrypt in my browser" ticked, submitting encrypts the
 * text with AES-256-GCM under a fresh random 256-bit key, posts only the
 * envelope (encrypted=1, no title) and opens the new paste's URL with the
 * key in its #fragment, which browsers never send to a server.
 *
 * Paste page ([data-envelope]): decrypts the envelope with the key from
 * the #fragment (and the password, when the envelope has a salt) and shows
 * the text as text, never as HTML.
 *
 * Envelope: JSON {v:1, iv, ct[, salt, iter]}, standard base64 fields. With
 * a password the AES key is PBKDF2-SHA256(key ‖ UTF-8 password, salt,
 * iter ≥ 600000, 256 bits).
 *
 * It also brings the credential warning (#secret-warning) into view when a
 * form comes back held by it. */
(function () {
  "use strict";

  var subtle = window.crypto && window.crypto.subtle;
  var ITER = 600000;
  var enc = new TextEncoder();

  function b64(bytes) {
    var s = "";
    for (var i = 0; i < bytes.length; i += 0x8000) {
      s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    }
    return btoa(s);
  }
  function unb64(s) {
    var bin = atob(s);
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  function b64url(bytes) { return b64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, ""); }
  function unb64url(s) {
    s = s.replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) s += "=";
    return unb64(s);
  }

  // aesKey returns the AES-GCM key: raw itself, or with a password the
  // PBKDF2 derivation of raw ‖ password.
  function aesKey(raw, password, salt, iter, usage) {
    if (!salt) return subtle.importKey("raw", raw, "AES-GCM", false, [usage]);
    var pw = enc.encode(password);
    var material = new Uint8Array(raw.length + pw.length);
    material.set(raw, 0);
    material.set(pw, raw.length);
    return subtle.importKey("raw", material, "PBKDF2", false, ["deriveKey"]).then(function (base) {
      return subtle.deriveKey({ name: "PBKDF2", hash: "SHA-256", salt: salt, iterations: iter },
        base, { name: "AES-GCM", length: 256 }, false, [usage]);
    });
  }

  function encrypt(text, password) {
    var raw = crypto.getRandomValues(new Uint8Array(32));
    var iv = crypto.getRandomValues(new Uint8Array(12));
    var salt = password ? crypto.getRandomValues(new Uint8Array(16)) : null;
    return aesKey(raw, password, salt, ITER, "encrypt").then(function (key) {
      return subtle.encrypt({ name: "AES-GCM", iv: iv }, key, enc.encode(text));
    }).then(function (ct) {
      var env = { v: 1, iv: b64(iv) };
      if (salt) { env.salt = b64(salt); env.iter = ITER; }
      env.ct = b64(new Uint8Array(ct));
      return { envelope: JSON.stringify(env), key: b64url(raw) };
    });
  }

  function decrypt(env, keyText, password) {
    var raw = unb64url(keyText);
    if (raw.length !== 32) return Promise.reject(new Error("key"));
    var salt = env.salt ? unb64(env.salt) : null;
    return aesKey(raw, password, salt, env.iter, "decrypt").then(function (key) {
      return subtle.decrypt({ name: "AES-GCM", iv: unb64(env.iv) }, key, unb64(env.ct));
    }).then(function (pt) { return new TextDecoder("utf-8", { fatal: true }).decode(pt); });
  }

  /* The form. */
  function setupForm(option) {
    var form = option.closest("form");
    if (!form || !subtle) return;
    option.hidden = false;
    var toggle = option.querySelector("[data-encrypt-toggle]");
    var extra = option.querySelector("[data-encrypt-extra]");
    var pwInput = option.querySelector("[data-encrypt-password]");
    var errorBox = option.querySelector("[data-encrypt-error]");
    var title = form.querySelector('[name="title"]');
    // Fields the server would keep in clear (tags), or that the key and its
    // password replace (the server-side password), are off while encrypting.
    var others = form.querySelectorAll('[name="tags"], [name="password"]');
    var publicRadio = form.querySelector('[name="visibility"][value="public"]');

    function sync() {
      var on = toggle.checked;
      extra.hidden = !on;
      if (title) { title.disabled = on; title.placeholder = on ? "No title: encrypted pastes have none" : "Untitled"; }
      others.forEach(function (el) { el.disabled = on; });
      if (publicRadio) {
        publicRadio.disabled = on;
        if (on && publicRadio.checked) {
          var unlisted = form.querySelector('[name="visibility"][value="unlisted"]');
          if (unlisted) unlisted.checked = true;
        }
      }
    }
    toggle.addEventListener("change", sync);
    sync();

    function fail(msg) {
      errorBox.textContent = msg;
      errorBox.hidden = false;
    }

    // Capture phase: before htmx sees the submit, so the plain text is
    // never posted.
    form.addEventListener("submit", function (ev) {
      if (!toggle.checked) return;
      ev.preventDefault();
      ev.stopImmediatePropagation();
      errorBox.hidden = true;
      var content = form.querySelector('[name="content"]');
      var text = content.value.replace(/\r\n/g, "\n");
      if (!text) { fail("Type or paste the text to encrypt."); return; }
      var submit = form.querySelector('button[type="submit"]');
      if (submit) submit.disabled = true;
      var password = pwInput.value;
      encrypt(text, password).then(function (r) {
        var data = new FormData(form);
        data.set("content", r.envelope);
        data.set("encrypted", "1");
        data.delete("title");
        data.delete("secret_action");
        return fetch(form.getAttribute("action") || "/", {
          method: "POST",
          body: new URLSearchParams(data),
          headers: { "HX-Request": "true", "Accept": "text/html" },
          credentials: "same-origin",
          redirect: "manual"
        }).then(function (resp) {
          var to = resp.headers.get("HX-Redirect");
          if (to && to.charAt(0) === "/" && to.charAt(1) !== "/") {
            window.location.assign(to + "#" + r.key);
            return;
          }
          return resp.text().then(function (body) {
            var doc = new DOMParser().parseFromString(body, "text/html");
            var msgs = Array.prototype.map.call(doc.querySelectorAll(".field-error, #form-errors li, [role=alert] li"), function (e) {
              return e.textContent.trim();
            }).filter(Boolean);
            fail(msgs.length ? msgs.join(" ") : "The paste could not be created (" + resp.status + "). Try again.");
          });
        });
      }).catch(function () {
        fail("Encrypting or sending failed. Nothing was published; try again.");
      }).then(function () {
        if (submit) submit.disabled = false;
      });
    }, true);
  }

  /* The paste page. */
  function setupPage(box) {
    var status = box.querySelector("[data-encrypted-message]");
    var statusBox = box.querySelector("[data-encrypted-status]");
    var pwForm = box.querySelector("[data-encrypted-password]");
    var pwError = box.querySelector("[data-encrypted-error]");
    var output = box.querySelector("[data-encrypted-output]");
    var pre = output.querySelector("pre");
    var key = window.location.hash.replace(/^#/, "");
    var env;
    try { env = JSON.parse(box.getAttribute("data-envelope")); } catch (e) { env = null; }

    function say(msg) { status.textContent = msg; statusBox.hidden = false; }
    function show(text) {
      pre.textContent = text;
      output.hidden = false;
      statusBox.hidden = true;
      pwForm.hidden = true;
    }
    // A key pasted into the address bar changes only the fragment: start over.
    window.addEventListener("hashchange", function () { window.location.reload(); });
    if (!subtle) { say("This browser cannot decrypt here (WebCrypto needs https or localhost)."); return; }
    if (!env || !env.iv || !env.ct) { say("This paste's ciphertext is damaged."); return; }
    if (!KEY.test(key)) {
      say("The key is missing from this link: open the full link, including the part after #. The server never had the key, so it cannot help.");
      return;
    }
    if (!env.salt) {
      decrypt(env, key, "").then(show, function () { say("This key does not open this paste: check that the link was copied whole."); });
      return;
    }
    say("Enter the paste's password to decrypt it.");
    pwForm.hidden = false;
    var input = pwForm.querySelector('input[type="password"]');
    var button = pwForm.querySelector('button[type="submit"]');
    pwForm.addEventListener("submit", function (ev) {
      ev.preventDefault();
      pwError.hidden = true;
      button.disabled = true;
      decrypt(env, key, input.value).then(show, function () {
        pwError.textContent = "Wrong password (or an incomplete link).";
        pwError.hidden = false;
      }).then(function () { button.disabled = false; });
    });
    input.focus();
  }

  var KEY = /^[A-Za-z0-9_-]{43}$/;

  // carryKey keeps the key (the #fragment) with an encrypted paste's links
  // that the server made without it: the "Created" notice (the link to
  // share is that one with its key, which only this browser knows) and a
  // burn-after-reading paste's reveal form (a form's #fragment stays in
  // the address of the page it opens). Line anchors (#L12) never look
  // like a key.
  function carryKey(root) {
    var key = window.location.hash.replace(/^#/, "");
    if (!KEY.test(key)) return;
    var created = root.querySelector("#created-url");
    if (created && created.getAttribute("href").indexOf("#") < 0) {
      var full = created.getAttribute("href") + "#" + key;
      created.setAttribute("href", full);
      created.textContent = full;
      var notice = created.closest("[data-testid=created-notice]");
      var note = notice && notice.querySelector("p");
      if (note) note.textContent = "Share this whole link: the key after # opens the paste, and the server cannot give it to you again.";
    }
    root.querySelectorAll("form[data-testid=reveal-form]").forEach(function (f) {
      var action = f.getAttribute("action") || "";
      if (action.indexOf("#") < 0) f.setAttribute("action", action + "#" + key);
    });
  }

  function init(root) {
    carryKey(root);
    // A form held back by the credential warning: show the warning first
    // (after the text area's autofocus, which would scroll past it).
    var warning = root.querySelector("#secret-warning");
    if (warning) setTimeout(function () { warning.focus(); warning.scrollIntoView({ block: "start" }); }, 0);
    root.querySelectorAll("[data-encrypt-option]").forEach(function (el) {
      if (!el.hasAttribute("data-encrypt-ready")) { el.setAttribute("data-encrypt-ready", ""); setupForm(el); }
    });
    root.querySelectorAll("[data-envelope]").forEach(function (el) {
      if (!el.hasAttribute("data-encrypt-ready")) { el.setAttribute("data-encrypt-ready", ""); setupPage(el); }
    });
  }
  document.addEventListener("htmx:load", function (ev) { init(ev.target && ev.target.querySelectorAll ? ev.target : document); });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { init(document); });
  } else {
    init(document);
  }
})();
