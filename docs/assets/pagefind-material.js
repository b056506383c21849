/*
 * Pagefind search inside the Material for MkDocs look, with filters and sorting.
 *
 * For a site built WITHOUT Material's search plugin (so no search_index.json
 * is built or downloaded) and indexed afterwards by Pagefind, this script puts
 * Material's own search box into the header and shows Pagefind's results in
 * Material's result list, with Material's CSS classes. Paper pages carry the
 * index's fields (generator/render/templates/paper.md.j2):
 *   filters  topic (every topic of the paper), year ("Undated"), org, code ("yes"/"no")
 *   sorts    date (yyyymmdd, 0 when undated), votes
 *   meta     title, date (ISO), topic (the primary one), votes
 *
 * The view lives in the address: ?q=words&topic=Name&year=2025&org=Name&code=yes&sort=votes
 * opens the overlay on that view, so a wiki can link "topic X, 2025, by votes".
 * Filters work without words (browse). Every word of a query must match a word of
 * a result's title or abstract: Pagefind falls back to shorter prefixes when a word
 * matches nothing ("qwxzvbn" would find a paper through a "q"), and such results
 * are dropped here, so a query of nonsense says "No results".
 *
 * Pagefind is loaded when the box gets focus (visitors who never search download
 * nothing), then fetches only the index chunks a query needs.
 */
(function () {
  "use strict";
  var LIMIT = 10;
  /* Pagefind bundles searched together: the index is built in parts so that indexing a large
     site stays under 1.5 GB, and the build lists them in search-bundles.json (generator/hooks.py). */
  var MANIFEST = "search-bundles.json";
  var BUNDLES = ["pagefind/", "pagefind-2/"];  /* if the list cannot be read */
  var MIN_QUERY = 2;  /* a one-letter query matches nearly every page and only delays the next one */
  var SCAN = 3;       /* look at up to SCAN * LIMIT results to fill one batch of LIMIT good ones */
  var SELECTS = [["topic", "Topic", "All topics"], ["year", "Year", "All years"],
                 ["org", "Organization", "All organizations"]];
  var KEYS = ["q", "topic", "year", "org", "code", "sort"];
  var SORTS = { "": "Best match", date: "Newest", votes: "Most upvoted" };
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  /* Endings a query word may differ by from the text's word (Pagefind matches word stems). */
  var ENDINGS = ["izations", "ization", "ational", "ations", "ation", "ements", "ement", "ments", "ment",
                 "nesses", "ness", "ities", "ity", "ings", "ing", "ies", "ied", "ers", "er", "ed", "es",
                 "ly", "al", "s", "e", "y"];
  var config = JSON.parse((document.getElementById("__config") || {}).textContent || "{}");
  var base = new URL((config.base || ".") + "/", location.href);
  var engine = null;

  var ICON_SEARCH = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" aria-hidden="true"><path d="M9.5 3A6.5 6.5 0 0 1 16 9.5c0 1.61-.59 3.09-1.56 4.23l.27.27h.79l5 5-1.5 1.5-5-5v-.79l-.27-.27A6.52 6.52 0 0 1 9.5 16 6.5 6.5 0 0 1 3 9.5 6.5 6.5 0 0 1 9.5 3m0 2C7 5 5 7 5 9.5S7 14 9.5 14 14 12 14 9.5 12 5 9.5 5"/></svg>';
  var ICON_BACK = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" aria-hidden="true"><path d="M20 11v2H8l5.5 5.5-1.42 1.42L4.16 12l7.92-7.92L13.5 5.5 8 11z"/></svg>';
  var ICON_CLOSE = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" aria-hidden="true"><path d="M19 6.41 17.59 5 12 10.59 6.41 5 5 6.41 10.59 12 5 17.59 6.41 19 12 13.41 17.59 19 19 17.59 13.41 12z"/></svg>';

  function markup() {
    var selects = SELECTS.map(function (s) {
      return '<label class="pa-search-filter"><span>' + s[1] + '</span><select name="' + s[0] + '">' +
        '<option value="">' + s[2] + "</option></select></label>";
    }).join("");
    var sorts = Object.keys(SORTS).map(function (k) {
      return '<option value="' + k + '">' + SORTS[k] + "</option>";
    }).join("");
    var wrap = document.createElement("div");
    wrap.innerHTML =
      '<label class="md-header__button md-icon" for="__search" title="Search">' + ICON_SEARCH + "</label>" +
      '<div class="md-search" role="dialog" aria-label="Search" data-pagefind-search>' +
      '<label class="md-search__overlay" for="__search"></label>' +
      '<div class="md-search__inner" role="search">' +
      '<form class="md-search__form" name="search">' +
      '<input type="text" class="md-search__input" name="query" aria-label="Search" placeholder="Search"' +
      ' aria-controls="pa-search-results" aria-describedby="pa-search-status"' +
      ' autocapitalize="off" autocorrect="off" autocomplete="off" spellcheck="false">' +
      '<label class="md-search__icon md-icon" for="__search">' + ICON_SEARCH + ICON_BACK + "</label>" +
      '<nav class="md-search__options" aria-label="Search"><button type="reset" class="md-search__icon md-icon"' +
      ' title="Clear" aria-label="Clear" tabindex="-1">' + ICON_CLOSE + "</button></nav>" +
      "</form>" +
      '<div class="md-search__output">' +
      '<div class="pa-search-filters" role="group" aria-label="Filter and sort">' + selects +
      '<label class="pa-search-check"><input type="checkbox" name="code" value="yes"> <span>Has code</span></label>' +
      '<label class="pa-search-filter pa-search-sort"><span>Sort</span><select name="sort">' + sorts + "</select></label>" +
      "</div>" +
      '<div class="md-search__scrollwrap" tabindex="0">' +
      '<div class="md-search-result"><div class="md-search-result__meta" id="pa-search-status" role="status">' +
      "Type to start searching</div>" +
      '<ol class="md-search-result__list" id="pa-search-results" aria-label="Results"></ol></div></div></div>' +
      "</div></div>";
    return wrap;
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  /* --- the view and the address ---------------------------------------------------- */

  function readState(search) {
    var params = new URLSearchParams(search);
    var state = {};
    KEYS.forEach(function (k) { state[k] = (params.get(k) || "").trim(); });
    if (!Object.prototype.hasOwnProperty.call(SORTS, state.sort)) state.sort = "";
    state.code = state.code === "yes" ? "yes" : "";
    return state;
  }

  function browsing(state) {
    return KEYS.some(function (k) { return k !== "q" && state[k]; });
  }

  function writeUrl(state) {
    var params = new URLSearchParams(location.search);
    KEYS.forEach(function (k) { params.delete(k); });
    KEYS.forEach(function (k) { if (state[k]) params.set(k, state[k]); });
    var query = params.toString();
    history.replaceState(history.state, "", location.pathname + (query ? "?" + query : "") + location.hash);
  }

  function filtersOf(state, without) {
    var filters = {};
    SELECTS.concat([["code"]]).forEach(function (s) {
      if (state[s[0]] && s[0] !== without) filters[s[0]] = state[s[0]];
    });
    return filters;
  }

  function sortOf(state) {
    var key = state.sort || (state.q ? "" : "date");
    var sort = {};
    if (key) sort[key] = "desc";
    return sort;
  }

  /* --- words: every query word must match a word of the result ---------------------- */

  function words(text) {
    return String(text || "").toLowerCase().normalize("NFD").replace(/\p{M}/gu, "")
      .split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }

  function root(word) {
    for (var i = 0; i < ENDINGS.length; i++) {
      var e = ENDINGS[i];
      if (word.length - e.length >= 3 && word.slice(-e.length) === e) return word.slice(0, -e.length);
    }
    return word;
  }

  /* "studies" matches "study" (same root), "neur" matches "neural" (a word being typed);
     "qwxzvbn" does not match "q", nor "neuralxyz" "neural". */
  function matches(query, word) {
    return word.indexOf(query) === 0 || (query.length > 3 && word.indexOf(root(query)) === 0);
  }

  /* A word is marked only when it is a form of a query word: the same root ("studies",
     "study"), or the query begins it ("neur" in "neural", a word being typed). Stricter than
     matches(), which keeps Pagefind's results whose words it stems alike: "neural" must not
     mark "neurons" or "neuroscience", which only share its first letters. */
  function sameWord(query, word) {
    return word.indexOf(query) === 0 || (query.length > 3 && root(word) === root(query));
  }

  function hasEvery(queryWords, textWords) {
    return queryWords.every(function (q) { return textWords.some(function (w) { return matches(q, w); }); });
  }

  /* --- Pagefind --------------------------------------------------------------------- */

  function sumCounts(list) {
    var out = {};
    list.forEach(function (counts) {
      Object.keys(counts || {}).forEach(function (key) {
        out[key] = out[key] || {};
        Object.keys(counts[key]).forEach(function (v) { out[key][v] = (out[key][v] || 0) + counts[key][v]; });
      });
    });
    return out;
  }

  /* One bundle's Pagefind, loaded from the bundle's own pagefind.js so that each has its own
     module, worker and wasm (two createInstance() of one module share the wasm glue and trap
     it: "unreachable"), and called one request at a time. */
  function Bundle(pf) {
    this.instance = pf;
    this.last = Promise.resolve();
  }

  /* With ``stale``, a call whose turn comes when stale() is true is skipped (it resolves to
     null): a search typed over by the next key never runs behind the one that replaced it. */
  Bundle.prototype.call = function (method, args, stale) {
    var instance = this.instance;
    var done = this.last.then(function () {
      return stale && stale() ? null : instance[method].apply(instance, args);
    });
    this.last = done.catch(function () {});
    return done;
  };

  function load() {
    if (!engine) {
      engine = fetch(new URL(MANIFEST, base).href).then(function (response) {
        return response.ok ? response.json() : BUNDLES;
      }).catch(function () { return BUNDLES; }).then(function (paths) {
        return Promise.all(paths.map(function (path) {
          return import(new URL(path + "pagefind.js", base).href);
        }));
      }).then(function (modules) {
        var bundles = modules.map(function (pf) { return new Bundle(pf); });
        return Promise.all(bundles.map(function (b) {
          b.call("options", [{ baseUrl: base.pathname }]);
          return b.call("filters", []);
        })).then(function (all) { return { bundles: bundles, totals: sumCounts(all) }; });
      });
    }
    return engine;
  }

  function searchAll(eng, term, options, stale) {
    return Promise.all(eng.bundles.map(function (b) { return b.call("search", [term, options], stale); }));
  }

  function dataOf(result) {
    if (!result.loaded) result.loaded = result.data();
    return result.loaded;
  }

  function sortValue(data, key) {
    var meta = data.meta || {};
    return key === "votes" ? Number(meta.votes || 0) : (meta.date || "");
  }

  /* Results of every bundle in one order: by score, or (each bundle being sorted
     already) merged on the sort key, which needs the data of each bundle's head. */
  function Stream(searches, sortKey, queryWords, stale) {
    this.sortKey = sortKey;
    this.queryWords = queryWords;
    this.stale = stale;
    this.lists = sortKey ? searches.map(function (s) { return s.results; })
      : [[].concat.apply([], searches.map(function (s) { return s.results; }))
          .sort(function (a, b) { return b.score - a.score; })];
    this.pos = this.lists.map(function () { return 0; });
    this.total = searches.reduce(function (n, s) { return n + s.results.length; }, 0);
    this.seen = 0;
    this.dropped = 0;
  }

  Stream.prototype.done = function () { return this.seen >= this.total; };

  Stream.prototype.next = function () {
    var self = this;
    var heads = [];
    this.lists.forEach(function (list, k) { if (self.pos[k] < list.length) heads.push(k); });
    if (!heads.length) return Promise.resolve(null);
    return Promise.all(heads.map(function (k) { return dataOf(self.lists[k][self.pos[k]]); })).then(function (datas) {
      var best = 0;
      for (var i = 1; i < datas.length; i++) {
        if (sortValue(datas[i], self.sortKey) > sortValue(datas[best], self.sortKey)) best = i;
      }
      self.pos[heads[best]] += 1;
      self.seen += 1;
      return datas[best];
    });
  };

  /* Up to n results whose text has every query word, looking at no more than SCAN * n. */
  Stream.prototype.take = function (n) {
    var self = this;
    var out = [];
    var budget = SCAN * n;
    /* Ask for the next n results of each list at once: the loop below then finds them loaded
       instead of waiting for one fragment after another (one round trip, not n). */
    this.lists.forEach(function (list, k) { list.slice(self.pos[k], self.pos[k] + n).forEach(dataOf); });
    function step() {
      /* a search typed over stops loading its results: the next one needs the network and the main thread */
      if (out.length >= n || budget-- <= 0 || self.stale()) return Promise.resolve(out);
      return self.next().then(function (data) {
        if (!data) return out;
        if (!self.queryWords.length || hasEvery(self.queryWords, words(data.content))) out.push(data);
        else self.dropped += 1;
        return step();
      });
    }
    return step();
  };

  /* --- result cards ------------------------------------------------------------------ */

  function longDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    return m ? MONTHS[Number(m[2]) - 1] + " " + Number(m[3]) + ", " + m[1] : "Undated";
  }

  /* A window of the abstract (the indexed text after the title) around the first
     matching word, matching words marked; the abstract's start when only the title matched. */
  function snippet(data, queryWords) {
    var all = String(data.content || "").split(/\s+/).filter(Boolean);
    var title = String((data.meta && data.meta.title) || "").split(/\s+/).filter(Boolean);
    var skip = title.length && all.length >= title.length &&
      words(all.slice(0, title.length).join(" ")).join(" ") === words(title.join(" ")).join(" ") ? title.length : 0;
    var text = all.slice(skip);
    var hit = function (token) {
      return queryWords.length > 0 && words(token).some(function (w) {
        return queryWords.some(function (q) { return sameWord(q, w); });
      });
    };
    var first = -1;
    for (var i = 0; i < text.length && first < 0; i++) if (hit(text[i])) first = i;
    var start = Math.max(0, first - 8);
    var end = Math.min(text.length, start + 32);
    var html = text.slice(start, end).map(function (t) {
      return hit(t) ? "<mark>" + escapeHtml(t) + "</mark>" : escapeHtml(t);
    }).join(" ");
    return (start > 0 ? "… " : "") + html + (end < text.length ? " …" : "");
  }

  function card(data, queryWords) {
    var meta = data.meta || {};
    var fields = ['<time' + (meta.date ? ' datetime="' + escapeHtml(meta.date) + '"' : "") + ">" +
                  escapeHtml(longDate(meta.date)) + "</time>"];
    if (meta.topic) fields.push('<span class="pa-result__topic">' + escapeHtml(meta.topic) + "</span>");
    if (Number(meta.votes) > 0) fields.push('<span class="pa-votes" title="upvotes">▲ ' + escapeHtml(meta.votes) + "</span>");
    var text = snippet(data, queryWords);
    var li = document.createElement("li");
    li.className = "md-search-result__item";
    li.innerHTML =
      '<a href="' + escapeHtml(data.url) + '" class="md-search-result__link">' +
      '<article class="md-search-result__article md-typeset pa-result">' +
      "<h1>" + escapeHtml(meta.title || data.url) + "</h1>" +
      '<p class="pa-result__meta">' + fields.join('<span aria-hidden="true"> · </span>') + "</p>" +
      (text ? '<p class="pa-result__text">' + text + "</p>" : "") +
      "</article></a>";
    return li;
  }

  /* --- the overlay ---------------------------------------------------------------------- */

  function attach() {
    var inner = document.querySelector(".md-header__inner");
    if (!inner || document.querySelector("[data-pagefind-search]")) return;
    var parts = markup();
    var anchor = inner.querySelector(".md-header__source");
    while (parts.firstChild) inner.insertBefore(parts.firstChild, anchor);
    var box = inner.querySelector("[data-pagefind-search]");
    var input = box.querySelector(".md-search__input");
    var form = box.querySelector("form");
    var list = box.querySelector(".md-search-result__list");
    var status = box.querySelector(".md-search-result__meta");
    var scrollwrap = box.querySelector(".md-search__scrollwrap");
    var controls = box.querySelector(".pa-search-filters");
    var toggle = document.getElementById("__search");
    var state = readState(location.search);
    var stream = null;
    var run = 0;
    var timer = null;

    function open() {
      if (!toggle.checked) writeUrl(state);
      toggle.checked = true;
      load();
    }

    /* The view stays for the next opening; the address goes back to the page's own. */
    function close() {
      toggle.checked = false;
      input.blur();
      writeUrl({});
    }

    function setControls() {
      input.value = state.q;
      SELECTS.forEach(function (s) { controls.querySelector('[name="' + s[0] + '"]').value = state[s[0]]; });
      controls.querySelector('[name="code"]').checked = state.code === "yes";
      controls.querySelector('[name="sort"]').value = state.sort;
    }

    function orderValues(key, counts) {
      var values = Object.keys(counts);
      if (state[key] && values.indexOf(state[key]) < 0) values.push(state[key]);
      if (key === "year") {
        return values.sort(function (a, b) { return (b === "Undated" ? -1 : Number(b)) - (a === "Undated" ? -1 : Number(a)); });
      }
      if (key === "topic") {
        return values.sort(function (a, b) { return (counts[b] || 0) - (counts[a] || 0) || (a < b ? -1 : a > b ? 1 : 0); });
      }
      return values.sort(function (a, b) { return a.localeCompare(b); });
    }

    /* Each control counts what choosing one of its values would give with the other controls as they are. */
    function showCounts(countsFor) {
      SELECTS.forEach(function (s) {
        var key = s[0];
        var counts = countsFor(key)[key] || {};
        var select = controls.querySelector('[name="' + key + '"]');
        var options = [new Option(s[2], "")].concat(orderValues(key, counts).map(function (v) {
          return new Option(v + " (" + (counts[v] || 0) + ")", v);
        }));
        select.replaceChildren.apply(select, options);
        select.value = state[key];
        select.parentNode.hidden = options.length <= 1;
      });
      var code = (countsFor("code").code || {}).yes || 0;
      controls.querySelector(".pa-search-check span").textContent = "Has code (" + code + ")";
    }

    function say(n) {
      status.textContent = n === 0 ? "No results" : n === 1 ? "1 result" : n + " results";
    }

    function search() {
      var id = ++run;
      var term = state.q.length >= MIN_QUERY ? state.q : null;
      if (state.q && !term) return;  /* wait for a second letter */
      load().then(function (eng) {
        if (id !== run) return;
        if (!term && !browsing(state)) {
          showCounts(function () { return eng.totals; });
          status.textContent = "Type to start searching";
          list.replaceChildren();
          stream = null;
          return;
        }
        var sort = sortOf(state);
        var stale = function () { return id !== run; };
        var main = searchAll(eng, term, { filters: filtersOf(state), sort: sort }, stale);
        var perKey = SELECTS.concat([["code"]]).map(function (s) {
          return state[s[0]] ? searchAll(eng, term, { filters: filtersOf(state, s[0]) }, stale) : main;
        });
        return Promise.all([main].concat(perKey)).then(function (all) {
          if (id !== run) return;
          var queryWords = term ? words(term) : [];
          var next = new Stream(all[0], Object.keys(sort)[0] || "", queryWords, stale);
          return next.take(LIMIT).then(function (datas) {
            if (id !== run) return;
            stream = next;
            var keys = SELECTS.concat([["code"]]).map(function (s) { return s[0]; });
            showCounts(function (key) {
              if (!datas.length) return eng.totals;  /* nothing matched: the controls still offer every value */
              return sumCounts(all[1 + keys.indexOf(key)].map(function (s) { return s.filters; }));
            });
            say(!datas.length ? 0 : next.done() ? datas.length : next.total - next.dropped);
            list.replaceChildren.apply(list, datas.map(function (d) { return card(d, queryWords); }));
            scrollwrap.scrollTop = 0;
          });
        });
      });
    }

    function more() {
      var current = stream;
      if (!current || current.done() || current.busy) return;
      current.busy = true;
      current.take(LIMIT).then(function (datas) {
        current.busy = false;
        if (current !== stream) return;
        datas.forEach(function (d) { list.appendChild(card(d, current.queryWords)); });
      });
    }

    function changed() {
      writeUrl(state);
      search();
    }

    function links() { return Array.prototype.slice.call(list.querySelectorAll(".md-search-result__link")); }

    function focusables() {
      return Array.prototype.slice.call(box.querySelectorAll(
        ".md-search__inner input, .md-search__inner select, .md-search__inner a[href]"))
        .filter(function (el) { return !el.closest("[hidden]"); });
    }

    input.addEventListener("focus", function () {
      open();
      if (!run) search();  /* the first opening fills the filter controls */
    });
    toggle.addEventListener("change", function () { if (toggle.checked) input.focus(); else close(); });
    form.addEventListener("reset", function (ev) {
      ev.preventDefault();
      state.q = "";
      input.value = "";
      changed();
      input.focus();
    });
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var first = links()[0];
      if (first) location.href = first.href;
    });
    input.addEventListener("input", function () {
      state.q = input.value.trim();
      writeUrl(state);
      clearTimeout(timer);
      /* no Pagefind preload() per key: run alongside a search it traps the wasm ("unreachable") */
      timer = setTimeout(search, 60);
    });
    controls.addEventListener("change", function (ev) {
      var el = ev.target;
      state[el.name] = el.type === "checkbox" ? (el.checked ? "yes" : "") : el.value;
      changed();
    });
    scrollwrap.addEventListener("scroll", function () {
      if (scrollwrap.scrollTop + scrollwrap.clientHeight >= scrollwrap.scrollHeight - 40) more();
    });
    box.addEventListener("keydown", function (ev) {
      var active = document.activeElement;
      var results = links();
      var at = results.indexOf(active);
      if ((ev.key === "ArrowDown" || ev.key === "ArrowUp") && (active === input || at >= 0)) {
        ev.preventDefault();
        var to = ev.key === "ArrowDown" ? Math.min(at + 1, results.length - 1) : at - 1;
        if (to < 0) input.focus();
        else if (results[to]) {
          results[to].focus();
          if (to >= results.length - 2) more();
        }
      } else if (ev.key === "Tab" && toggle.checked) {
        var all = focusables();
        var k = all.indexOf(active);
        if (ev.shiftKey && k <= 0) { ev.preventDefault(); all[all.length - 1].focus(); }
        else if (!ev.shiftKey && k === all.length - 1) { ev.preventDefault(); all[0].focus(); }
      }
    });
    document.addEventListener("keydown", function (ev) {
      var typing = /^(INPUT|TEXTAREA|SELECT)$/.test((document.activeElement || {}).tagName || "");
      if (toggle.checked && ev.key === "Escape") { ev.preventDefault(); close(); }
      else if (!typing && !toggle.checked && (ev.key === "/" || ev.key === "s" || ev.key === "f")) {
        ev.preventDefault(); input.focus();
      }
    });

    setControls();
    if (state.q || browsing(state)) {
      /* after the load, so that a phone lays the page out at its own width before the overlay opens */
      var show = function () { requestAnimationFrame(function () { input.focus(); search(); }); };
      if (document.readyState === "complete") show();
      else window.addEventListener("load", show);
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", attach);
  else attach();
})();
