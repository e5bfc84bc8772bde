/* Names for the admin's controls that Django and select2 leave without one, so that a screen
   reader says what each field is (templates/admin/base_site.html loads this on every admin page).

   - A tabular inline's fields (a meeting's participants, an official's names) have no <label>:
     each is named by its column's header.
   - select2's autocomplete boxes are named by the label of the <select> they stand for (or its
     column's header), with the chosen value after it.
   - select2's "remove all" cross is hidden from screen readers: it is a mouse-only span inside
     the list of chosen values, and each value has its own remove button.
   select2 builds and rebuilds these boxes after the page has loaded (and a new inline row after a
   click), so the names are given again whenever the page changes. */
(function () {
  "use strict";
  var made = 0;

  function idOf(element) {
    if (!element.id) { made += 1; element.id = "sco-name-" + made; }
    return element.id;
  }

  function columnHeader(control) {
    var cell = control.closest("td");
    var table = cell && cell.closest("table");
    if (!table) { return null; }
    for (var i = 0; i < cell.classList.length; i++) {
      var name = cell.classList[i];
      if (name.indexOf("field-") === 0) {
        return table.querySelector("thead th.column-" + CSS.escape(name.slice(6)));
      }
    }
    if (cell.classList.contains("delete")) {
      var headers = table.querySelectorAll("thead th");
      return headers[headers.length - 1] || null;
    }
    return null;
  }

  function nameSource(control) {
    if (control.labels && control.labels.length) { return control.labels[0]; }
    return columnHeader(control);
  }

  function hasName(control) {
    return (control.labels && control.labels.length) || control.hasAttribute("aria-label") ||
      control.hasAttribute("aria-labelledby");
  }

  function addLabelledby(element, id) {
    var ids = (element.getAttribute("aria-labelledby") || "").split(/\s+/).filter(Boolean);
    if (ids.indexOf(id) === -1) {
      element.setAttribute("aria-labelledby", [id].concat(ids).join(" "));
    }
  }

  function name() {
    var controls = document.querySelectorAll(
      ".inline-group td input:not([type=hidden]), .inline-group td select, .inline-group td textarea"
    );
    Array.prototype.forEach.call(controls, function (control) {
      if (hasName(control) || control.classList.contains("select2-hidden-accessible")) { return; }
      var source = columnHeader(control);
      if (source) { control.setAttribute("aria-labelledby", idOf(source)); }
    });
    var boxes = document.querySelectorAll(".select2-container");
    Array.prototype.forEach.call(boxes, function (box) {
      var select = box.previousElementSibling;
      if (!select || select.tagName !== "SELECT") { return; }
      var source = nameSource(select);
      if (!source) { return; }
      var id = idOf(source);
      box.querySelectorAll(".select2-selection[role=combobox], .select2-search__field")
        .forEach(function (control) { addLabelledby(control, id); });
      // The chosen value, which select2 shows as a read-only text box: the label, then itself.
      box.querySelectorAll(".select2-selection__rendered[role=textbox]").forEach(function (shown) {
        if (!shown.hasAttribute("aria-labelledby")) {
          shown.setAttribute("aria-labelledby", id + " " + idOf(shown));
        }
      });
      box.querySelectorAll(".select2-selection__clear").forEach(function (cross) {
        cross.setAttribute("aria-hidden", "true");
      });
    });
  }

  var pending = false;
  function soon() {
    if (pending) { return; }
    pending = true;
    setTimeout(function () { pending = false; name(); }, 0);
  }

  name();
  new MutationObserver(soon).observe(document.body, { childList: true, subtree: true });
})();
