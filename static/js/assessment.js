/* Oppfølging – the assessment page: nothing typed is lost.
 *
 * - Every keystroke in a section's text area is copied to this browser's localStorage (keyed by
 *   the section's uuid), and a second and a half after the last one the draft is sent to the
 *   server's draft endpoint.
 * - When the session has expired (the server answers with a redirect to the login page) or the
 *   network is down, the text stays in the text area and in localStorage, and a notice links to
 *   the login page. On the next load the browser's copy is put back into the text area when it is
 *   newer than what the server has, with the version it was written from, so a save after someone
 *   else's is still refused and shown side by side.
 * - htmx swaps a section after a save; a swap that came back as the login page is refused instead.
 *
 * The page works without this file: the forms post normally, and «Lagre som utkast» keeps a draft.
 * Loaded with `defer` from our own origin: the Content-Security-Policy allows no inline script.
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-assessment]");
  if (!root) {
    return;
  }

  var DELAY = 1500;
  var PREFIX = "oppfolging.assessment.draft.";
  var loginUrl = root.getAttribute("data-login-url") || "/konto/logg-inn/";
  var timers = {};

  /* --- The browser's copy ------------------------------------------------------------------- */

  function storage() {
    try {
      return window.localStorage;
    } catch (error) {
      return null; // storage disabled: the server draft still works
    }
  }

  function storeKey(section) {
    return PREFIX + section.getAttribute("data-section-uuid");
  }

  function readLocal(section) {
    var store = storage();
    if (!store) {
      return null;
    }
    try {
      return JSON.parse(store.getItem(storeKey(section)) || "null");
    } catch (error) {
      return null;
    }
  }

  function writeLocal(section, text, baseVersion) {
    var store = storage();
    if (!store) {
      return;
    }
    try {
      store.setItem(
        storeKey(section),
        JSON.stringify({ text: text, baseVersion: baseVersion, savedAt: new Date().toISOString() })
      );
    } catch (error) {
      /* storage full: the server draft still works */
    }
  }

  function clearLocal(section) {
    var store = storage();
    if (store) {
      store.removeItem(storeKey(section));
    }
  }

  /* --- Helpers ------------------------------------------------------------------------------ */

  function parts(section) {
    var form = section.querySelector("form[data-section-form]");
    return {
      form: form,
      textarea: form ? form.querySelector("textarea") : null,
      version: form ? form.querySelector("[data-version-input]") : null,
      status: section.querySelector("[data-draft-status]"),
    };
  }

  function say(section, message) {
    var status = parts(section).status;
    if (status) {
      status.textContent = message;
    }
  }

  function clock() {
    var now = new Date();
    return String(now.getHours()).padStart(2, "0") + ":" + String(now.getMinutes()).padStart(2, "0");
  }

  function showSessionExpired() {
    var notice = root.querySelector("[data-session-expired]");
    if (notice) {
      notice.hidden = false;
    }
  }

  function isLoginPage(url) {
    return typeof url === "string" && url.indexOf(loginUrl) !== -1;
  }

  /* --- Saving drafts ------------------------------------------------------------------------ */

  function sendDraft(section) {
    var p = parts(section);
    var url = section.getAttribute("data-draft-url");
    if (!p.form || !url) {
      return;
    }
    fetch(url, {
      method: "POST",
      body: new FormData(p.form),
      credentials: "same-origin",
      redirect: "manual",
      headers: { "X-Autosave": "1" },
    })
      .then(function (response) {
        if (response.type === "opaqueredirect" || response.status === 403 || isLoginPage(response.url)) {
          showSessionExpired();
          say(section, root.getAttribute("data-msg-draft-local"));
        } else if (response.ok) {
          say(section, root.getAttribute("data-msg-draft-saved") + " " + clock());
        } else {
          say(section, root.getAttribute("data-msg-draft-local"));
        }
      })
      .catch(function () {
        say(section, root.getAttribute("data-msg-draft-local"));
      });
  }

  function schedule(section) {
    window.clearTimeout(timers[section.id]);
    timers[section.id] = window.setTimeout(function () {
      sendDraft(section);
    }, DELAY);
  }

  document.addEventListener("input", function (event) {
    var textarea = event.target;
    if (!(textarea instanceof HTMLTextAreaElement)) {
      return;
    }
    var section = textarea.closest("[data-assessment-section][data-draft-url]");
    if (!section) {
      return;
    }
    var version = parts(section).version;
    writeLocal(section, textarea.value, version ? Number(version.value) : 0);
    schedule(section);
  });

  /* --- Restoring the browser's copy --------------------------------------------------------- */

  function restore(section) {
    if (section.hasAttribute("data-clear-local")) {
      clearLocal(section);
      return;
    }
    var p = parts(section);
    var local = readLocal(section);
    if (!local || !p.textarea) {
      return;
    }
    var serverVersion = Number(section.getAttribute("data-version"));
    var serverUpdated = Date.parse(section.getAttribute("data-updated") || "");
    var newer = local.baseVersion >= serverVersion || Date.parse(local.savedAt) > serverUpdated;
    if (!newer) {
      clearLocal(section); // saved since: the server has it
      return;
    }
    if (local.text === p.textarea.value) {
      clearLocal(section); // the server has the same text
      return;
    }
    p.textarea.value = local.text;
    if (p.version) {
      p.version.value = String(local.baseVersion); // a save over someone else's is still refused
    }
    say(section, root.getAttribute("data-msg-restored"));
    schedule(section); // and keep it on the server as a draft too
  }

  Array.prototype.forEach.call(root.querySelectorAll("[data-assessment-section][data-draft-url]"), restore);

  /* --- htmx --------------------------------------------------------------------------------- */

  // A request made after the session ended is redirected to the login page (or refused for its
  // CSRF token): never swap that in; the text stays where it is, and in the browser's copy.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail && event.detail.xhr;
    if (xhr && (isLoginPage(xhr.responseURL) || xhr.status === 403)) {
      event.detail.shouldSwap = false;
      showSessionExpired();
    }
  });

  // After a save or a discard the server has the text (or the user let it go): forget the copy.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail && event.detail.target;
    var section = target && target.id ? document.getElementById(target.id) : null;
    if (section && section.hasAttribute("data-assessment-section") && section.hasAttribute("data-clear-local")) {
      clearLocal(section);
    }
  });

  // Sending a section's form (save or draft) cancels its pending autosave.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var section = event.target.closest && event.target.closest("[data-assessment-section]");
    if (section) {
      window.clearTimeout(timers[section.id]);
    }
  });
})();
