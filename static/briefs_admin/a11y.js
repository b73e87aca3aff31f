// Accessible names for the controls Django's admin renders without one (found by axe-core in the
// browser tests): tabular inline cells, the split date/time widget, select2 autocompletes, and the
// filter widget's icons. Runs on load and again whenever the admin adds rows or widgets. External
// file, no inline script or style: it runs under the site's Content-Security-Policy.
(function () {
  "use strict";

  function text(el) { return ((el && el.textContent) || "").replace(/\s+/g, " ").replace(/\*$/, "").trim(); }

  function hasName(el) {
    if (el.getAttribute("aria-label") || el.getAttribute("aria-labelledby")) return true;
    if (el.id && document.querySelector('label[for="' + el.id + '"]')) return !!text(document.querySelector('label[for="' + el.id + '"]'));
    return !!el.closest("label");
  }

  function name(el, value) {
    if (value && !hasName(el)) el.setAttribute("aria-label", value);
  }

  function tabularCells(root) {
    root.querySelectorAll(".tabular table").forEach(function (table) {
      var inline = text(table.querySelector("h2")) || text(table.closest(".inline-group") && table.closest(".inline-group").querySelector("h2"));
      table.querySelectorAll("tbody tr.form-row").forEach(function (row, index) {
        var rowName = (inline ? inline + ", " : "") + "row " + (index + 1);
        row.querySelectorAll("td").forEach(function (cell) {
          var column = null;
          Array.prototype.forEach.call(cell.classList, function (cls) {
            if (cls.indexOf("field-") === 0) column = cls.slice(6);
          });
          var head = column && table.querySelector("thead th.column-" + column);
          cell.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(function (control) {
            if (cell.classList.contains("delete")) name(control, "Delete " + rowName);
            else name(control, (head ? text(head) : column || "Value") + " (" + rowName + ")");
          });
        });
      });
    });
  }

  function splitDateTimes(root) {
    root.querySelectorAll("p.datetime").forEach(function (widget) {
      var row = widget.closest(".form-row, .fieldBox");
      var label = text(row && row.querySelector("label"));
      var date = widget.querySelector("input.vDateField");
      var time = widget.querySelector("input.vTimeField");
      if (date) name(date, (label || "Date") + ": date");
      if (time) name(time, (label || "Time") + ": time");
    });
  }

  function select2s(root) {
    root.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var container = select.nextElementSibling;
      var combo = container && container.querySelector(".select2-selection[role=combobox]");
      if (!combo) return;
      var label = select.getAttribute("aria-label") || text(select.id && document.querySelector('label[for="' + select.id + '"]'));
      if (!label) return;
      combo.setAttribute("aria-label", label);
      var rendered = combo.querySelector(".select2-selection__rendered[role]");
      if (rendered && !text(rendered)) rendered.setAttribute("aria-label", label + ": nothing chosen");
      else if (rendered) rendered.removeAttribute("aria-label");
    });
    root.querySelectorAll(".select2-search__field").forEach(function (field) { name(field, "Search"); });
  }

  function icons(root) {
    root.querySelectorAll("span.help-tooltip[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }

  function fix() {
    tabularCells(document);
    splitDateTimes(document);
    icons(document);
    select2s(document);  // after the cells, so a select's own new name is used
  }

  var pending = false;
  function schedule() {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () { pending = false; fix(); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fix);
  else fix();
  window.addEventListener("load", fix);
  document.addEventListener("formset:added", schedule);
  new MutationObserver(schedule).observe(document.documentElement, { childList: true, subtree: true });
})();
