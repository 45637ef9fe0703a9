/* Oppfølging – small progressive enhancements. Every page works without this file.
 *
 * - the "Meny" button folds the main navigation on a phone;
 * - a form that comes back with errors moves focus to its error summary, and the summary's links
 *   move focus to the field (and scroll its label into view);
 * - a table that is wider than the screen scrolls inside its wrapper, which then becomes a
 *   focusable, labelled region so that it can be scrolled with the keyboard.
 *
 * Loaded with `defer` from our own origin: the Content-Security-Policy allows no inline script.
 */
(function () {
  "use strict";

  /* --- Menu on small screens ------------------------------------------------------------------ */

  function initMenu() {
    var toggle = document.querySelector("[data-menu-toggle]");
    if (!toggle) {
      return;
    }
    var menu = document.getElementById(toggle.getAttribute("aria-controls"));
    if (!menu) {
      return;
    }

    function setOpen(open) {
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      menu.classList.toggle("is-open", open);
    }

    toggle.addEventListener("click", function () {
      setOpen(toggle.getAttribute("aria-expanded") !== "true");
    });

    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || toggle.getAttribute("aria-expanded") !== "true") {
        return;
      }
      if (menu.contains(document.activeElement) || document.activeElement === toggle) {
        setOpen(false);
        toggle.focus();
      }
    });
  }

  /* --- Error summary ---------------------------------------------------------------------------- */

  function labelFor(field) {
    var fieldset = field.closest("fieldset");
    if (fieldset && fieldset.querySelector("legend")) {
      return fieldset.querySelector("legend");
    }
    if (field.id) {
      var label = document.querySelector('label[for="' + CSS.escape(field.id) + '"]');
      if (label) {
        return label;
      }
    }
    return field;
  }

  function focusErrorSummary(root) {
    var summary = (root || document).querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  }

  function initErrorSummaryLinks() {
    document.addEventListener("click", function (event) {
      var link = event.target.closest("[data-error-summary] a[href^='#']");
      if (!link) {
        return;
      }
      var id = decodeURIComponent(link.getAttribute("href").slice(1));
      var field = id && document.getElementById(id);
      if (!field) {
        return;
      }
      event.preventDefault();
      labelFor(field).scrollIntoView({ block: "start" });
      field.focus({ preventScroll: true });
    });
  }

  /* --- Tables that scroll sideways ---------------------------------------------------------- */

  var regionCount = 0;

  function updateTableWrap(wrap) {
    var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
    if (scrolls && !wrap.hasAttribute("tabindex")) {
      var caption = wrap.querySelector("caption");
      if (caption) {
        if (!caption.id) {
          regionCount += 1;
          caption.id = "app-table-caption-" + regionCount;
        }
        wrap.setAttribute("aria-labelledby", caption.id);
      }
      wrap.setAttribute("role", "region");
      wrap.setAttribute("tabindex", "0");
    } else if (!scrolls && wrap.getAttribute("tabindex") === "0") {
      wrap.removeAttribute("tabindex");
      wrap.removeAttribute("role");
      wrap.removeAttribute("aria-labelledby");
    }
  }

  var observer =
    "ResizeObserver" in window
      ? new ResizeObserver(function (entries) {
          entries.forEach(function (entry) {
            updateTableWrap(entry.target);
          });
        })
      : null;

  function initTables(root) {
    (root || document).querySelectorAll(".app-table-wrap").forEach(function (wrap) {
      updateTableWrap(wrap);
      if (observer) {
        observer.observe(wrap);
      }
    });
  }

  /* --- Start -------------------------------------------------------------------------------- */

  initMenu();
  initErrorSummaryLinks();
  initTables(document);
  focusErrorSummary(document);

  // Content swapped in by htmx gets the same treatment.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail && event.detail.target ? event.detail.target : event.target;
    initTables(target);
    focusErrorSummary(target);
  });
})();
