/* Faceted lists (templates/includes/list_page.html): a choice that reloads the list keeps the
   keyboard where the reader was, and the one live region tells the new count.

   Before the page goes, the choice is noted in sessionStorage: a facet option (focus comes back
   to the same option, now chosen or not), a page link, a removed filter or the filter form (focus
   goes to the results heading). On the page that follows, the note is read once. */
(function () {
  "use strict";
  var KEY = "sco-list-focus";

  function note(target) {
    try {
      sessionStorage.setItem(KEY, JSON.stringify({ path: location.pathname, target: target }));
    } catch (e) { /* storage refused: the page loads with focus at the top, as without script */ }
  }

  function taken() {
    var saved = null;
    try {
      saved = JSON.parse(sessionStorage.getItem(KEY));
      sessionStorage.removeItem(KEY);
    } catch (e) { return null; }
    return saved && saved.path === location.pathname ? saved.target : null;
  }

  function announce() {
    // The count is in the page already, but a screen reader speaks a live region only when its
    // content changes: once the page has settled, the same words go in again as new text (the
    // reader sees no change).
    var status = document.querySelector("#results [role=status]");
    if (!status) { return; }
    setTimeout(function () {
      status.replaceChildren(document.createTextNode(status.textContent));
    }, 150);
  }

  function restore(target) {
    var element = null;
    if (target && target.facet) {
      element = document.querySelector(
        'a[data-facet="' + CSS.escape(target.facet) + '"][data-value="' + CSS.escape(target.value) + '"]'
      );
    }
    element = element || document.getElementById("results-heading");
    if (!element) { return; }
    element.focus();
    announce();
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href]");
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) { return; }
    if (link.dataset.facet) {
      note({ facet: link.dataset.facet, value: link.dataset.value });
    } else if (link.closest(".pagination, .active-filters")) {
      note({ results: true });
    }
  });

  document.addEventListener("submit", function (event) {
    if (event.target.matches("form.filters")) { note({ results: true }); }
  });

  var target = taken();
  if (target) { restore(target); }
})();
