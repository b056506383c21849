/*
 * Pagefind search inside the Material for MkDocs look.
 *
 * For a site built WITHOUT Material's search plugin (so no search_index.json
 * is built or downloaded) and indexed afterwards with
 *   python -m pagefind --site site --root-selector "article.md-content__inner"
 * this script puts Material's own search box into the header and shows
 * Pagefind's results in Material's result list, with Material's CSS classes.
 * Pagefind is loaded on the first focus of the box (visitors who never search
 * download nothing), then fetches only the index chunks a query needs.
 */
(function () {
  "use strict";
  var LIMIT = 10;
  /* Further Pagefind bundles searched together with pagefind/ (the index is split in
     two so that indexing 20k papers stays under 1.5 GB; see benchmarks/RESULTS.md). */
  var EXTRA_BUNDLES = ["pagefind-2/"];
  var MIN_QUERY = 2;  /* a one-letter query matches nearly every page and only delays the next one */
  var config = JSON.parse((document.getElementById("__config") || {}).textContent || "{}");
  var base = new URL((config.base || ".") + "/", location.href);
  var pagefind = null;
  var shown = 0;
  var current = "";

  var ICON_SEARCH = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M9.5 3A6.5 6.5 0 0 1 16 9.5c0 1.61-.59 3.09-1.56 4.23l.27.27h.79l5 5-1.5 1.5-5-5v-.79l-.27-.27A6.52 6.52 0 0 1 9.5 16 6.5 6.5 0 0 1 3 9.5 6.5 6.5 0 0 1 9.5 3m0 2C7 5 5 7 5 9.5S7 14 9.5 14 14 12 14 9.5 12 5 9.5 5"/></svg>';
  var ICON_BACK = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M20 11v2H8l5.5 5.5-1.42 1.42L4.16 12l7.92-7.92L13.5 5.5 8 11z"/></svg>';
  var ICON_CLOSE = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M19 6.41 17.59 5 12 10.59 6.41 5 5 6.41 10.59 12 5 17.59 6.41 19 12 13.41 17.59 19 19 17.59 13.41 12z"/></svg>';

  function markup() {
    var wrap = document.createElement("div");
    wrap.innerHTML =
      '<label class="md-header__button md-icon" for="__search">' + ICON_SEARCH + "</label>" +
      '<div class="md-search" role="dialog" aria-label="Search" data-pagefind-search>' +
      '<label class="md-search__overlay" for="__search"></label>' +
      '<div class="md-search__inner" role="search">' +
      '<form class="md-search__form" name="search">' +
      '<input type="text" class="md-search__input" name="query" aria-label="Search" placeholder="Search"' +
      ' autocapitalize="off" autocorrect="off" autocomplete="off" spellcheck="false" required>' +
      '<label class="md-search__icon md-icon" for="__search">' + ICON_SEARCH + ICON_BACK + "</label>" +
      '<nav class="md-search__options" aria-label="Search"><button type="reset" class="md-search__icon md-icon"' +
      ' title="Clear" aria-label="Clear" tabindex="-1">' + ICON_CLOSE + "</button></nav>" +
      "</form>" +
      '<div class="md-search__output"><div class="md-search__scrollwrap" tabindex="0">' +
      '<div class="md-search-result"><div class="md-search-result__meta">Type to start searching</div>' +
      '<ol class="md-search-result__list" role="presentation"></ol></div></div></div>' +
      "</div></div>";
    return wrap;
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function load() {
    if (!pagefind) {
      pagefind = import(new URL("pagefind/pagefind.js", base).href).then(function (pf) {
        return pf.options({ baseUrl: base.pathname })
          .then(function () {
            return Promise.all(EXTRA_BUNDLES.map(function (b) {
              return pf.mergeIndex(new URL(b, base).href, { baseUrl: base.pathname });
            }));
          })
          .then(function () { pf.init(); return pf; });
      });
    }
    return pagefind;
  }

  function item(data) {
    var li = document.createElement("li");
    li.className = "md-search-result__item";
    li.innerHTML =
      '<a href="' + escapeHtml(data.url) + '" class="md-search-result__link" tabindex="-1">' +
      '<article class="md-search-result__article md-typeset">' +
      '<div class="md-search-result__icon md-icon"></div>' +
      "<h1>" + escapeHtml((data.meta && data.meta.title) || data.url) + "</h1>" +
      "<p>" + data.excerpt + "</p>" +   /* Pagefind's excerpt: escaped text with <mark> */
      "</article></a>";
    return li;
  }

  function render(box, query, search, datas) {
    var list = box.querySelector(".md-search-result__list");
    var meta = box.querySelector(".md-search-result__meta");
    var n = search ? search.results.length : 0;
    meta.textContent = !query ? "Type to start searching"
      : n === 0 ? "No matching documents" : n === 1 ? "1 matching document" : n + " matching documents";
    list.replaceChildren.apply(list, datas.map(item));
    shown = datas.length;
  }

  function more(box, search) {
    var next = search.results.slice(shown, shown + LIMIT);
    if (!next.length) return;
    shown += next.length;
    Promise.all(next.map(function (r) { return r.data(); })).then(function (datas) {
      var list = box.querySelector(".md-search-result__list");
      datas.forEach(function (d) { list.appendChild(item(d)); });
    });
  }

  function attach() {
    var inner = document.querySelector(".md-header__inner");
    if (!inner || document.querySelector("[data-pagefind-search]")) return;
    var parts = markup();
    var anchor = inner.querySelector(".md-header__source");
    while (parts.firstChild) inner.insertBefore(parts.firstChild, anchor);
    var box = inner.querySelector("[data-pagefind-search]");
    var input = box.querySelector(".md-search__input");
    var toggle = document.getElementById("__search");
    var last = null;

    input.addEventListener("focus", function () { toggle.checked = true; load(); });
    toggle.addEventListener("change", function () { if (toggle.checked) input.focus(); else input.blur(); });
    box.querySelector("form").addEventListener("reset", function () {
      current = ""; render(box, "", null, []); input.focus();
    });
    box.querySelector("form").addEventListener("submit", function (ev) {
      ev.preventDefault();
      var first = box.querySelector(".md-search-result__link");
      if (first) location.href = first.href;
    });
    input.addEventListener("input", function () {
      var query = input.value.trim();
      current = query;
      if (!query) { render(box, "", null, []); return; }
      if (query.length < MIN_QUERY) return;
      load().then(function (pf) { return pf.debouncedSearch(query, {}, 60); }).then(function (search) {
        if (!search || query !== current) return;  /* a newer query superseded this one */
        last = search;
        return Promise.all(search.results.slice(0, LIMIT).map(function (r) { return r.data(); }))
          .then(function (datas) { if (query === current) render(box, query, search, datas); });
      });
    });
    box.querySelector(".md-search__scrollwrap").addEventListener("scroll", function (ev) {
      var el = ev.target;
      if (last && el.scrollTop + el.clientHeight >= el.scrollHeight - 40) more(box, last);
    });
    document.addEventListener("keydown", function (ev) {
      var typing = /^(INPUT|TEXTAREA|SELECT)$/.test((document.activeElement || {}).tagName || "");
      if (toggle.checked && ev.key === "Escape") { toggle.checked = false; input.blur(); }
      else if (!typing && !toggle.checked && (ev.key === "/" || ev.key === "s" || ev.key === "f")) {
        ev.preventDefault(); toggle.checked = true; input.focus();
      }
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", attach);
  else attach();
})();
