/* Zhengban: small behaviours for server-rendered pages (no inline script anywhere).
 *
 * Forms marked data-once carry a one-time token (office.once): the server acts once per token.
 * Here the browser helps: a final step asks its question (data-confirm) first, and once a form
 * is sent its buttons are disabled until the answer comes, so a double click sends one request.
 */
(function () {
  "use strict";

  function release(form) {
    delete form.dataset.sending;
    form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (b) {
      b.disabled = false;
      b.removeAttribute("aria-busy");
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-once")) return;
    if (form.dataset.sending) {            // a second click while the first request runs
      event.preventDefault();
      return;
    }
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      return;
    }
    form.dataset.sending = "1";
    // disable after the browser has taken the submitter's value into the request
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (b) {
        b.disabled = true;
        b.setAttribute("aria-busy", "true");
      });
    }, 0);
  }, true);

  // Back/forward cache: a page shown again must be usable again.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) document.querySelectorAll("form[data-once]").forEach(release);
  });
  // 常用批示语: a phrase button inserts its text into the instruction box it names.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-insert]");
    if (!button) return;
    var box = document.querySelector(button.getAttribute("data-insert-into"));
    if (!box) return;
    event.preventDefault();
    var text = button.getAttribute("data-insert");
    box.value = box.value ? box.value.replace(/\s+$/, "") + text : text;
    box.focus();
  });
})();
