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

  // Lists fold on a phone (zhengban.css): each cell shows its column's heading as its label.
  function labelCells(root) {
    (root || document).querySelectorAll("table.table-zb").forEach(function (table) {
      if (!table.tHead || !table.tHead.rows.length) return;
      var heads = [];
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
        for (var i = 0; i < th.colSpan; i++) heads.push(th.textContent.trim());
      });
      var sections = Array.prototype.slice.call(table.tBodies);
      if (table.tFoot) sections.push(table.tFoot);
      sections.forEach(function (section) {
        Array.prototype.forEach.call(section.rows, function (tr) {
          var col = 0;
          Array.prototype.forEach.call(tr.cells, function (td) {
            if (td.colSpan === 1 && heads[col] && !td.hasAttribute("data-label")) td.setAttribute("data-label", heads[col]);
            col += td.colSpan;
          });
        });
      });
    });
  }

  // Pickers (office.forms._Picker): Tom Select on every select[data-picker]; data-pinyin on an
  // option is searched too (wjg finds 王建国); data-narrow-by keeps the options of one unit.
  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text || "";
    return div.innerHTML;
  }

  function narrow(select, picker) {
    var other = select.form && select.form.elements[select.dataset.narrowBy];
    if (!other) return;
    var all = Object.keys(picker.options).map(function (k) { return Object.assign({}, picker.options[k]); });
    function apply() {
      var unit = other.value;
      var current = picker.getValue();
      var keep = all.filter(function (o) { return !unit || !o.value || String(o.unit) === unit; });
      if (current && !keep.some(function (o) { return o.value === current; })) picker.clear(true);
      picker.clearOptions();
      keep.forEach(function (o) { picker.addOption(o); });
      picker.refreshOptions(false);
    }
    other.addEventListener("change", apply);
    if (other.value) apply();
  }

  function startPickers(root) {
    if (!window.TomSelect) return;
    (root || document).querySelectorAll("select[data-picker]").forEach(function (select) {
      if (select.tomselect) return;
      var multiple = select.multiple;
      var picker = new window.TomSelect(select, {
        plugins: multiple ? {remove_button: {title: select.dataset.remove || "×"}} : {},
        searchField: ["text", "pinyin"],
        maxOptions: null,
        closeAfterSelect: !multiple,
        allowEmptyOption: !multiple,
        hidePlaceholder: multiple,
        render: {
          no_results: function () { return '<div class="no-results">' + escapeHtml(select.dataset.noMatch) + "</div>"; }
        }
      });
      if (select.dataset.narrowBy) narrow(select, picker);
    });
  }

  function start(root) {
    labelCells(root);
    startPickers(root);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { start(document); });
  } else {
    start(document);
  }
  document.addEventListener("htmx:afterSettle", function () { start(document); });
})();
