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

  // Dates (office.forms.DateInput / DateTimeInput) are text typed as 2026-11-30 (14:30); a
  // button beside each opens the browser's own calendar (a hidden native input) and writes the
  // picked value back in that form, whatever the browser's locale.
  var CALENDAR_ICON = '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16" aria-hidden="true">' +
    '<rect x="1.5" y="2.5" width="13" height="12" rx="1.5" fill="none" stroke="currentColor"/>' +
    '<path d="M1.5 6h13M5 1v3M11 1v3" stroke="currentColor"/></svg>';

  function startDateInputs(root) {
    root.querySelectorAll("input[data-date], input[data-datetime]").forEach(function (input) {
      if (input.dataset.pickerReady) return;
      input.dataset.pickerReady = "1";
      var withTime = input.hasAttribute("data-datetime");
      var group = document.createElement("div");
      group.className = "input-group zb-date" + (input.classList.contains("form-control-sm") ? " input-group-sm" : "");
      input.parentNode.insertBefore(group, input);
      group.appendChild(input);
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-outline-secondary zb-date-button";
      button.title = input.dataset.pick || "";
      button.setAttribute("aria-label", input.dataset.pick || "");
      button.innerHTML = CALENDAR_ICON;
      var native = document.createElement("input");
      native.type = withTime ? "datetime-local" : "date";
      native.tabIndex = -1;
      native.className = "zb-native-date";
      native.setAttribute("aria-hidden", "true");
      group.appendChild(button);
      group.appendChild(native);
      button.addEventListener("click", function () {
        var typed = input.value.trim().replace(" ", "T");
        native.value = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?$/.test(typed) ? typed : "";
        try { native.showPicker(); } catch (e) { native.focus(); native.click(); }
      });
      native.addEventListener("change", function () {
        if (!native.value) return;
        input.value = native.value.replace("T", " ");
        input.dispatchEvent(new Event("input", {bubbles: true}));
        input.dispatchEvent(new Event("change", {bubbles: true}));
      });
    });
  }

  // A filter that applies itself: <select data-autosubmit> sends its form when changed.
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el && el.hasAttribute && el.hasAttribute("data-autosubmit") && el.form) el.form.submit();
  });

  // File inputs (office.forms.MultipleFileInput): the names of the chosen files, in the page's language.
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== "file") return;
    var names = input.parentNode && input.parentNode.querySelector(".zb-file-names");
    if (!names) return;
    var files = Array.prototype.map.call(input.files || [], function (f) { return f.name; });
    names.textContent = files.length ? files.join("、") : names.dataset.none;
    names.title = names.textContent;
  });

  function start(root) {
    labelCells(root);
    startPickers(root);
    startDateInputs(root);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { start(document); });
  } else {
    start(document);
  }
  document.addEventListener("htmx:afterSettle", function () { start(document); });
})();
