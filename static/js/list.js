/* Faceted lists (templates/includes/list_page.html): a choice that reloads the list keeps the
   keyboard where the reader was, and the one live region tells the new count.

   Before the page goes, the choice is noted in sessionStorage: a facet option (focus comes back
   to the same option, now chosen or not), a page link, a removed filter or the filter form (focus
   goes to the results heading). On the page that follows, the note is read once.

   Within a facet's options the keyboard moves as in a menu: Tab stops once per facet (on its
   chosen option, or its first), the arrow keys, Home and End move between its options, and a
   letter goes to the next option that starts with it, opening the folded options if it is
   among them. */
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
    if (element.dataset.facet) {
      var folded = element.closest("details");
      if (folded) { folded.open = true; }
      rove(element.closest(".facet"), element);
    }
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

  function options(group, shown) {
    return Array.prototype.slice.call(group.querySelectorAll("a[data-facet]")).filter(function (option) {
      var folded = option.closest("details");
      return !shown || !folded || folded.open;
    });
  }

  function rove(list, link) {
    options(list).forEach(function (option) { option.tabIndex = option === link ? 0 : -1; });
  }

  function label(link) {
    return link.firstChild ? link.firstChild.textContent.trim().toLocaleLowerCase() : "";
  }

  function step(group, link, key) {
    var all = options(group, key.length > 1), at = all.indexOf(link);
    if (key === "ArrowDown" || key === "ArrowRight") { return all[Math.min(at + 1, all.length - 1)]; }
    if (key === "ArrowUp" || key === "ArrowLeft") { return all[Math.max(at - 1, 0)]; }
    if (key === "Home") { return all[0]; }
    if (key === "End") { return all[all.length - 1]; }
    if (key.length === 1 && key.trim()) {
      var letter = key.toLocaleLowerCase();
      var after = all.slice(at + 1).concat(all.slice(0, at + 1));
      return after.find(function (option) { return label(option).charAt(0) === letter; }) || null;
    }
    return null;
  }

  document.querySelectorAll(".facets .facet").forEach(function (group) {
    var all = options(group);
    if (!all.length) { return; }
    var chosen = group.querySelector("a[aria-current]");
    if (chosen && chosen.closest("details")) { chosen.closest("details").open = true; }
    rove(group, chosen || all[0]);
    group.addEventListener("keydown", function (event) {
      var link = event.target.closest("a[data-facet]");
      if (!link || event.altKey || event.ctrlKey || event.metaKey) { return; }
      var next = step(group, link, event.key);
      if (!next) { return; }
      event.preventDefault();
      var folded = next.closest("details");
      if (folded) { folded.open = true; }
      rove(group, next);
      next.focus();
    });
  });
  document.querySelectorAll(".facets .facet-keys").forEach(function (hint) { hint.hidden = false; });

  var target = taken();
  if (target) { restore(target); }
})();
