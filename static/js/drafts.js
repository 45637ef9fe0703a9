/* Oppfølging – long forms keep what is typed, across a session timeout. Any form opts in with
 *
 *   <form data-draft-key="plan:<uuid>:details" data-draft-url="/plan/<person>/utkast/"
 *         data-base-version="3"> … </form>
 *
 * (and may mark its version field with data-version-input, and name a [data-draft-status]
 * element inside it for "Utkast lagret 10:42").
 *
 * - Every change is copied to this browser's localStorage under the form's key, and 1.5 s after
 *   the last keystroke the form is posted to data-draft-url (with _draft_key and
 *   _draft_base_version, header X-Autosave: 1), which keeps it on the server as the user's draft.
 * - When the session has expired the server answers with a redirect to the login page (or 403
 *   for the CSRF token): the text stays in the form and in localStorage, and a notice links to
 *   the login page.
 * - On the next load, a browser copy that differs from the form and is not older than what the
 *   server has is OFFERED back (never put in silently): «Hent tilbake» fills the form and sets
 *   its version to the one the copy was written from, so a save over someone else's is still
 *   refused and shown side by side; «Forkast kopien» forgets it.
 * - After a save the server marks the part with data-draft-clear-key; a discarded server draft
 *   (a form with data-draft-discard) forgets the browser copy too.
 *
 * And for htmx on every page: a 409 (a refused save showing both versions) is swapped in like
 * a success; the login page is never swapped into a part of a page; after a swap, focus moves
 * to the swapped form's error summary if it has one, else to [data-focus-after-swap] (a form
 * that opened, a "Lagret" notice).
 *
 * Texts come from [data-draft-messages] (plans/plan/_draft_messages.html, translated) or fall
 * back to the page's language. The page works without this file: the forms post normally and
 * «Lagre som utkast» keeps a draft. Loaded with `defer`: the CSP allows no inline script.
 */
(function () {
  "use strict";

  var DELAY = 1500;
  var PREFIX = "oppfolging.draft.";
  var timers = {};

  /* --- Texts ---------------------------------------------------------------------------------- */

  var FALLBACK = {
    nb: {
      saved: "Utkast lagret",
      local: "Utkastet er tatt vare på i denne nettleseren, men ikke på serveren ennå.",
      offer: "Denne nettleseren har en kopi av det du skrev, fra",
      offerBehind: "Det er lagret endringer her etter at du begynte: lagrer du kopien, får du se begge versjonene.",
      restore: "Hent tilbake det du skrev",
      forget: "Forkast kopien",
      restored: "Det du skrev er hentet tilbake. Det er ikke lagret før du trykker Lagre.",
      expired: "Økten din er utløpt. Det du har skrevet er tatt vare på i denne nettleseren.",
      login: "Logg inn igjen for å lagre det.",
    },
    nn: {
      saved: "Utkast lagra",
      local: "Utkastet er teke vare på i denne nettlesaren, men ikkje på serveren enno.",
      offer: "Denne nettlesaren har ein kopi av det du skreiv, frå",
      offerBehind: "Det er lagra endringar her etter at du byrja: lagrar du kopien, får du sjå begge versjonane.",
      restore: "Hent tilbake det du skreiv",
      forget: "Forkast kopien",
      restored: "Det du skreiv er henta tilbake. Det er ikkje lagra før du trykkjer Lagre.",
      expired: "Økta di er utgått. Det du har skrive er teke vare på i denne nettlesaren.",
      login: "Logg inn igjen for å lagre det.",
    },
    en: {
      saved: "Draft saved",
      local: "The draft is kept in this browser, but not yet on the server.",
      offer: "This browser has a copy of what you wrote, from",
      offerBehind: "Changes were saved here after you began: saving your copy will show you both versions.",
      restore: "Restore what you wrote",
      forget: "Discard the copy",
      restored: "What you wrote has been restored. It is not saved until you press Save.",
      expired: "Your session has expired. What you wrote is kept in this browser.",
      login: "Log in again to save it.",
    },
  };

  function text(name) {
    var source = document.querySelector("[data-draft-messages]");
    var attribute = "data-msg-" + name.replace(/[A-Z]/g, function (c) {
      return "-" + c.toLowerCase();
    });
    if (source && source.getAttribute(attribute)) {
      return source.getAttribute(attribute);
    }
    var lang = (document.documentElement.lang || "nb").slice(0, 2);
    return (FALLBACK[lang] || FALLBACK.nb)[name];
  }

  function loginUrl() {
    var source = document.querySelector("[data-draft-messages]");
    return (source && source.getAttribute("data-login-url")) || "/konto/logg-inn/";
  }

  function isLoginPage(url) {
    return typeof url === "string" && url.indexOf(loginUrl()) !== -1;
  }

  /* --- The browser's copy --------------------------------------------------------------------- */

  function storage() {
    try {
      return window.localStorage;
    } catch (error) {
      return null; // storage disabled: the server draft still works
    }
  }

  function readLocal(key) {
    var store = storage();
    if (!store) {
      return null;
    }
    try {
      return JSON.parse(store.getItem(PREFIX + key) || "null");
    } catch (error) {
      return null;
    }
  }

  function writeLocal(key, value) {
    var store = storage();
    if (!store) {
      return;
    }
    try {
      store.setItem(PREFIX + key, JSON.stringify(value));
    } catch (error) {
      /* storage full: the server draft still works */
    }
  }

  function clearLocal(key) {
    var store = storage();
    if (store && key) {
      store.removeItem(PREFIX + key);
    }
  }

  /* --- A form's typed fields ------------------------------------------------------------------ */

  function typedFields(form) {
    return Array.prototype.filter.call(form.elements, function (field) {
      if (!field.name || field.disabled || field.name.charAt(0) === "_") {
        return false;
      }
      var type = (field.type || "").toLowerCase();
      return ["hidden", "submit", "button", "reset", "file", "password"].indexOf(type) === -1;
    });
  }

  function values(form) {
    var found = {};
    typedFields(form).forEach(function (field) {
      var type = (field.type || "").toLowerCase();
      if (type === "checkbox") {
        found[field.name] = field.checked;
      } else if (type === "radio") {
        if (field.checked) {
          found[field.name] = field.value;
        }
      } else {
        found[field.name] = field.value;
      }
    });
    return found;
  }

  function apply(form, saved) {
    typedFields(form).forEach(function (field) {
      if (!Object.prototype.hasOwnProperty.call(saved, field.name)) {
        return;
      }
      var type = (field.type || "").toLowerCase();
      if (type === "checkbox") {
        field.checked = Boolean(saved[field.name]);
      } else if (type === "radio") {
        field.checked = field.value === saved[field.name];
      } else {
        field.value = saved[field.name];
      }
    });
  }

  function same(a, b) {
    var keys = Object.keys(a).concat(Object.keys(b));
    return keys.every(function (key) {
      return String(a[key]) === String(b[key]);
    });
  }

  function baseVersion(form) {
    return Number(form.getAttribute("data-base-version") || "0");
  }

  function setBaseVersion(form, version) {
    form.setAttribute("data-base-version", String(version));
    Array.prototype.forEach.call(form.querySelectorAll("[data-version-input]"), function (input) {
      input.value = String(version);
    });
  }

  function say(form, message) {
    var status = form.querySelector("[data-draft-status]");
    if (status) {
      status.textContent = message;
    }
  }

  function clock() {
    var now = new Date();
    return String(now.getHours()).padStart(2, "0") + ":" + String(now.getMinutes()).padStart(2, "0");
  }

  /* --- Session expired ------------------------------------------------------------------------ */

  function showSessionExpired(near) {
    var notice = document.querySelector("[data-session-expired]");
    if (!notice) {
      notice = document.createElement("div");
      notice.className = "ds-alert";
      notice.setAttribute("data-color", "warning");
      notice.setAttribute("role", "alert");
      notice.setAttribute("data-session-expired", "");
      var paragraph = document.createElement("p");
      paragraph.className = "ds-paragraph";
      paragraph.appendChild(document.createTextNode(text("expired") + " "));
      var link = document.createElement("a");
      link.className = "ds-link";
      link.href = loginUrl() + "?next=" + encodeURIComponent(window.location.pathname + window.location.search);
      link.textContent = text("login");
      paragraph.appendChild(link);
      notice.appendChild(paragraph);
      var main = document.querySelector("main") || document.body;
      main.insertBefore(notice, main.firstChild);
    }
    notice.hidden = false;
    if (near) {
      say(near, text("local"));
    }
  }

  /* --- Saving drafts -------------------------------------------------------------------------- */

  function sendDraft(form) {
    var url = form.getAttribute("data-draft-url");
    var key = form.getAttribute("data-draft-key");
    if (!url || !key) {
      return;
    }
    var body = new FormData(form);
    body.set("_draft_key", key);
    body.set("_draft_base_version", String(baseVersion(form)));
    var token = body.get("csrfmiddlewaretoken");
    var headers = { "X-Autosave": "1" };
    if (token) {
      headers["X-CSRFToken"] = token;
    }
    fetch(url, { method: "POST", body: body, credentials: "same-origin", redirect: "manual", headers: headers })
      .then(function (response) {
        if (response.type === "opaqueredirect" || response.status === 403 || isLoginPage(response.url)) {
          showSessionExpired(form);
        } else if (response.ok) {
          say(form, text("saved") + " " + clock());
        } else {
          say(form, text("local"));
        }
      })
      .catch(function () {
        say(form, text("local"));
      });
  }

  function schedule(form) {
    var key = form.getAttribute("data-draft-key");
    window.clearTimeout(timers[key]);
    timers[key] = window.setTimeout(function () {
      sendDraft(form);
    }, DELAY);
  }

  function remember(form) {
    writeLocal(form.getAttribute("data-draft-key"), {
      values: values(form),
      baseVersion: baseVersion(form),
      savedAt: new Date().toISOString(),
    });
  }

  function onChange(event) {
    var form = event.target && event.target.form;
    if (!form || !form.hasAttribute("data-draft-key") || !event.target.name || event.target.name.charAt(0) === "_") {
      return;
    }
    remember(form);
    schedule(form);
  }

  document.addEventListener("input", onChange);
  document.addEventListener("change", onChange);

  // Sending the form (a save, or «Lagre som utkast») cancels its pending autosave.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form && form.hasAttribute && form.hasAttribute("data-draft-key")) {
      window.clearTimeout(timers[form.getAttribute("data-draft-key")]);
    }
    if (form && form.hasAttribute && form.hasAttribute("data-draft-discard")) {
      clearLocal(form.getAttribute("data-draft-discard"));
    }
  });

  /* --- Offering the browser's copy back ------------------------------------------------------- */

  function offer(form, local) {
    var box = document.createElement("div");
    box.className = "ds-alert";
    box.setAttribute("data-color", "info");
    box.setAttribute("data-local-draft-offer", "");
    var paragraph = document.createElement("p");
    paragraph.className = "ds-paragraph";
    var when = new Date(local.savedAt);
    var stamp = isNaN(when.getTime()) ? "" : " " + when.toLocaleString(document.documentElement.lang || "nb");
    var message = text("offer") + stamp + ".";
    if (local.baseVersion < baseVersion(form)) {
      message += " " + text("offerBehind");
    }
    paragraph.textContent = message;
    box.appendChild(paragraph);
    var actions = document.createElement("div");
    actions.className = "app-actions";
    var restore = document.createElement("button");
    restore.type = "button";
    restore.className = "ds-button";
    restore.setAttribute("data-variant", "secondary");
    restore.setAttribute("data-size", "sm");
    restore.textContent = text("restore");
    var forget = document.createElement("button");
    forget.type = "button";
    forget.className = "ds-button";
    forget.setAttribute("data-variant", "tertiary");
    forget.setAttribute("data-size", "sm");
    forget.textContent = text("forget");
    actions.appendChild(restore);
    actions.appendChild(forget);
    box.appendChild(actions);
    form.parentNode.insertBefore(box, form);

    restore.addEventListener("click", function () {
      apply(form, local.values);
      setBaseVersion(form, local.baseVersion);
      box.remove();
      say(form, text("restored"));
      var first = typedFields(form)[0];
      if (first) {
        first.focus();
      }
      schedule(form); // and keep it on the server as a draft too
    });
    forget.addEventListener("click", function () {
      clearLocal(form.getAttribute("data-draft-key"));
      box.remove();
    });
  }

  function initForm(form) {
    if (form.hasAttribute("data-draft-ready")) {
      return;
    }
    form.setAttribute("data-draft-ready", "");
    var key = form.getAttribute("data-draft-key");
    var local = readLocal(key);
    if (!local || !local.values) {
      return;
    }
    if (same(local.values, values(form))) {
      clearLocal(key); // the form already holds the same text
      return;
    }
    var updated = Date.parse(form.getAttribute("data-draft-updated") || "");
    var newer =
      local.baseVersion >= baseVersion(form) || (!isNaN(updated) && Date.parse(local.savedAt) > updated);
    if (!newer) {
      clearLocal(key); // saved since: the server has it
      return;
    }
    offer(form, local);
  }

  function init(root) {
    (root || document).querySelectorAll("[data-draft-clear-key]").forEach(function (element) {
      clearLocal(element.getAttribute("data-draft-clear-key"));
    });
    (root || document).querySelectorAll("form[data-draft-key]").forEach(initForm);
  }

  init(document);
  // Marks in the page as first loaded are not the result of a swap.
  document.querySelectorAll("[data-focus-after-swap]").forEach(function (element) {
    element.removeAttribute("data-focus-after-swap");
  });

  /* --- htmx ----------------------------------------------------------------------------------- */

  // A request made after the session ended is redirected to the login page (or refused for its
  // CSRF token): never swap that in. A refused save (409) shows both versions: swap it in.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail && event.detail.xhr;
    if (!xhr) {
      return;
    }
    if (isLoginPage(xhr.responseURL) || xhr.status === 403) {
      event.detail.shouldSwap = false;
      var form = event.detail.elt && event.detail.elt.closest ? event.detail.elt.closest("form") : null;
      showSessionExpired(form);
    } else if (xhr.status === 409) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // «Lagre som utkast» with htmx gets 204: say so.
  document.addEventListener("htmx:afterRequest", function (event) {
    var elt = event.detail && event.detail.elt;
    var xhr = event.detail && event.detail.xhr;
    if (elt && elt.hasAttribute && elt.hasAttribute("data-draft-button") && xhr && xhr.status === 204) {
      say(elt.form || elt.closest("form"), text("saved") + " " + clock());
    }
  });

  document.addEventListener("htmx:afterSettle", function () {
    init(document);
    var active = document.activeElement;
    var targets = document.querySelectorAll("[data-focus-after-swap]");
    if (targets.length && !(active && active.closest && active.closest("[data-error-summary]"))) {
      // A form that came back with errors: its error summary first.
      var target = targets[targets.length - 1];
      var summary = target.parentElement && target.parentElement.querySelector("[data-error-summary]");
      (summary || target).focus();
    }
    targets.forEach(function (element) {
      element.removeAttribute("data-focus-after-swap");
    });
  });
})();
