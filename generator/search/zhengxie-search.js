// zhengxie search: a search box in the Material header, results from Pagefind's chunked
// index (only the chunks a query needs are fetched), and the hit highlighted on the page
// a result opens.  The index holds tokens, not words (see generator/search/documents.py): pairs of
// adjacent Han characters and words of other scripts; a query is cut the same way here.
(() => {
  "use strict";

  const script = document.currentScript;
  const root = new URL("../", script.src); // published as <site>/assets/zhengxie-search.js
  const INDEX_LANGUAGE = "und"; // documents.LANGUAGE: Pagefind segments nothing in it
  const HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{3134f}"; // documents._HAN
  const RUNS = new RegExp(`[${HAN}]+|(?:(?![${HAN}])[\\p{L}\\p{N}])+`, "gu");
  const IS_HAN = new RegExp(`^[${HAN}]`, "u");
  const HAN_RUN = new RegExp(`[${HAN}]+`, "gu");
  const BATCH = 5; // results shown at a time: a phone's screen holds about four
  const GROUPS = "abcdefghijklmnop"; // documents.GROUPS: every indexed token ends with its page's group

  // -- queries -------------------------------------------------------------
  const pairs = (run) => {
    const chars = [...run];
    const out = [];
    for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
    return out;
  };
  // A phrase is found where all its pairs are; pairs that do not overlap are enough
  // (提案办理 -> 提案 办理) and each pair is one more index chunk to fetch.
  const tiling = (run) => {
    const chars = [...run];
    if (chars.length < 2) return chars;
    const out = [];
    for (let i = 0; i + 1 < chars.length; i += 2) out.push(chars[i] + chars[i + 1]);
    if (chars.length % 2) out.push(chars[chars.length - 2] + chars[chars.length - 1]);
    return out;
  };
  const indexQuery = (query) =>
    (query.match(RUNS) || []).flatMap((run) => (IS_HAN.test(run) ? tiling(run) : [run.toLowerCase()])).join(" ");
  const terms = (query) => {
    const words = query.split(/\s+/).filter(Boolean);
    return [...new Set(words)].sort((a, b) => b.length - a.length);
  };

  // One Pagefind query per search group: 提案 办理 becomes 提案a 办理a, 提案b 办理b, ...
  // Pagefind's time grows with the square of the pages a query matches, so sixteen small
  // queries are quicker than one large one; they are merged by score.  Other words and
  // single characters stay prefixes (2018 finds 2018k on any page).  Pagefind drops a
  // word that no page of a group has, so a result must match as many places as there
  // are words (each token is indexed once per page).
  const isPair = (word) => IS_HAN.test(word) && [...word].length === 2;
  async function find(query, filters = {}, stale = () => false) {
    const words = [...new Set(indexQuery(query).split(" ").filter(Boolean))];
    if (!words.length) return [];
    const queries = words.some(isPair)
      ? [...GROUPS].map((group) => words.map((w) => (isPair(w) ? w + group : w)).join(" "))
      : [words.join(" ")];
    const pagefind = await engine();
    if (stale()) return []; // typed on while the index was loading: only the last query runs
    const found = await Promise.all(queries.map((q) => pagefind.search(q, { filters })));
    answered = true;
    return found
      .flatMap((f) => f.results)
      .filter((r) => r.words.length >= words.length)
      .sort((a, b) => b.score - a.score);
  }

  // -- excerpts ------------------------------------------------------------
  const escape = (text) => text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
  const regexFor = (words) =>
    new RegExp(words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "gu");

  function excerpt(content, query) {
    const text = content; // the page's plain text (documents.py puts it in each result)
    let words = terms(query);
    let first = -1;
    for (const word of words) {
      const at = text.indexOf(word);
      if (at >= 0 && (first < 0 || at < first)) first = at;
    }
    if (first < 0) {
      // the phrase is not in the text as typed: show where its character pairs are
      words = [...new Set(words.flatMap((w) => (w.match(HAN_RUN) ? pairs(w) : [w])))];
      for (const word of words) {
        const at = text.indexOf(word);
        if (at >= 0 && (first < 0 || at < first)) first = at;
      }
    }
    const start = Math.max(0, first - 30);
    const slice = text.slice(start, start + 110);
    const marked = words.length
      ? escape(slice).replace(regexFor(words.map(escape)), (m) => `<mark>${m}</mark>`)
      : escape(slice);
    return (start > 0 ? "…" : "") + marked + (start + 110 < text.length ? "…" : "");
  }

  // -- Pagefind ----------------------------------------------------------------
  let loading = null;
  let answered = false; // the index has answered a query: from then on typing is debounced
  function engine() {
    loading ||= (async () => {
      const pagefind = await import(new URL("pagefind/pagefind.js", root).href);
      // A page's length is counted in distinct tokens, which grow more slowly than its text:
      // Pagefind's default penalty for length (0.75) would bury long reports under short lists.
      await pagefind.options({ baseUrl: root.pathname, ranking: { pageLength: 0.3 } });
      // Pagefind cuts a query the way the page's language is written (zh: the browser's
      // word segmenter, which would split pairs like 案办).  It reads that language from
      // <html lang> when it starts, so it is started under the index's own language.
      const html = document.documentElement;
      const lang = html.getAttribute("lang");
      html.setAttribute("lang", INDEX_LANGUAGE);
      try {
        pagefind.init();
      } finally {
        html.setAttribute("lang", lang);
      }
      return pagefind;
    })();
    return loading;
  }

  // -- the dialog --------------------------------------------------------------
  const ui = {};
  const state = { collection: "", year: "", serial: 0 };

  function build() {
    const dialog = document.createElement("div");
    dialog.className = "zx-search";
    dialog.hidden = true;
    dialog.setAttribute("role", "dialog");
    dialog.setAttribute("aria-modal", "true");
    dialog.setAttribute("aria-label", "搜索");
    dialog.innerHTML = `
      <div class="zx-search__scrim" data-close></div>
      <div class="zx-search__panel">
        <div class="zx-search__bar">
          <input class="zx-search__input" type="search" placeholder="${escape(placeholder())}" autocomplete="off" enterkeyhint="search" aria-label="搜索">
          <button class="zx-search__close" type="button" data-close aria-label="关闭">✕</button>
        </div>
        <div class="zx-search__filters">
          <div class="zx-search__chips" role="group" aria-label="栏目"></div>
          <select class="zx-search__year" aria-label="年份"><option value="">全部年份</option></select>
        </div>
        <p class="zx-search__status" aria-live="polite"></p>
        <div class="zx-search__list">
          <ol class="zx-search__results"></ol>
          <button class="zx-search__more" type="button" hidden>显示更多结果</button>
        </div>
      </div>`;
    document.body.appendChild(dialog);
    ui.dialog = dialog;
    ui.input = dialog.querySelector(".zx-search__input");
    ui.chips = dialog.querySelector(".zx-search__chips");
    ui.year = dialog.querySelector(".zx-search__year");
    ui.status = dialog.querySelector(".zx-search__status");
    ui.results = dialog.querySelector(".zx-search__results");
    ui.more = dialog.querySelector(".zx-search__more");
    ui.more.addEventListener("click", () => more(state.serial));
    renderChips();

    dialog.addEventListener("click", (event) => {
      if (event.target.closest("[data-close]")) close();
      const chip = event.target.closest("[data-collection]");
      if (chip) {
        state.collection = chip.dataset.collection;
        renderChips();
        run();
      }
    });
    for (const event of ["pointerdown", "focus", "keydown"]) ui.year.addEventListener(event, loadYears);
    ui.year.addEventListener("change", () => {
      state.year = ui.year.value;
      run();
    });
    let timer = 0;
    ui.input.addEventListener("input", () => {
      clearTimeout(timer);
      // Typing is debounced once the index answers; until then the index is loading and the
      // query waits for it anyway (a query typed meanwhile replaces it before it runs).
      timer = setTimeout(run, answered ? 120 : 0);
    });
    dialog.addEventListener("keydown", onDialogKey);
  }

  // The collections come with the page (<meta name="zhengxie:collections">, a JSON array the
  // generator writes); years differ per site and are fetched from the index only when the
  // year list is opened (a phone fetches no more than it needs).
  const COLLECTIONS = (() => {
    const meta = document.querySelector('meta[name="zhengxie:collections"]');
    try {
      const listed = JSON.parse(meta ? meta.content : "[]");
      return Array.isArray(listed) ? listed.filter((n) => typeof n === "string" && n) : [];
    } catch {
      return [];
    }
  })();
  const placeholder = () => (COLLECTIONS.length ? `搜索${COLLECTIONS.join("、")}` : "搜索");
  let yearsLoaded = false;
  async function loadYears() {
    if (yearsLoaded) return;
    yearsLoaded = true;
    const filters = await (await engine()).filters();
    const years = Object.keys(filters.year || {}).sort().reverse();
    for (const year of years) ui.year.insertAdjacentHTML("beforeend", `<option value="${escape(year)}">${escape(year)}年</option>`);
  }

  function renderChips() {
    ui.chips.innerHTML = ["", ...COLLECTIONS]
      .map((n) => `<button type="button" class="zx-chip" data-collection="${escape(n)}" aria-pressed="${state.collection === n}">${escape(n) || "全部"}</button>`)
      .join("");
  }

  async function run() {
    const query = ui.input.value.trim();
    const serial = ++state.serial;
    if (!query) {
      ui.results.innerHTML = "";
      ui.status.textContent = "";
      return;
    }
    const filters = {};
    if (state.collection) filters.collection = state.collection;
    if (state.year) filters.year = state.year;
    const found = await find(query, filters, () => serial !== state.serial);
    if (serial !== state.serial) return; // a newer query is on its way
    state.found = found;
    state.shown = 0;
    state.query = query;
    ui.results.innerHTML = "";
    if (!(await more(serial))) return;
    ui.status.textContent = found.length ? `找到 ${found.length} 个页面` : "没有找到相关内容";
    ui.results.dataset.query = `${query}|${state.collection}|${state.year}`; // what the list shows
  }

  // The next few results: each one's title and text are fetched only when it is shown.
  async function more(serial) {
    const next = state.found.slice(state.shown, state.shown + BATCH);
    const data = await Promise.all(next.map((r) => r.data()));
    if (serial !== state.serial) return false;
    ui.results.insertAdjacentHTML("beforeend", data.map(resultItem).join(""));
    state.shown += next.length;
    ui.more.hidden = state.shown >= state.found.length;
    return true;
  }

  function resultItem(page) {
    const url = new URL(page.url, location.href);
    url.searchParams.set("q", state.query);
    const collection = page.meta.collection ? `<span class="zx-result__collection">${escape(page.meta.collection)}</span>` : "";
    return `<li><a class="zx-result" href="${escape(url.href)}">
        <span class="zx-result__head">${collection}<span class="zx-result__title">${escape(page.meta.title || page.url)}</span></span>
        <span class="zx-result__excerpt">${excerpt(page.content, state.query)}</span></a></li>`;
  }

  function onDialogKey(event) {
    if (event.key === "Escape") {
      event.preventDefault();
      close();
      return;
    }
    const links = [...ui.results.querySelectorAll(".zx-result")];
    const at = links.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && links.length) {
      event.preventDefault();
      links[Math.min(at + 1, links.length - 1)].focus();
    } else if (event.key === "ArrowUp" && links.length) {
      event.preventDefault();
      (at <= 0 ? ui.input : links[at - 1]).focus();
    } else if (event.key === "Enter" && document.activeElement === ui.input && links.length) {
      event.preventDefault();
      links[0].click();
    }
  }

  function open() {
    if (!ui.dialog) build();
    engine().catch(() => {}); // start loading the index while the query is typed
    ui.dialog.hidden = false;
    document.documentElement.classList.add("zx-search-open");
    ui.input.focus();
    ui.input.select();
  }

  function close() {
    ui.dialog.hidden = true;
    document.documentElement.classList.remove("zx-search-open");
  }

  // -- the header button -------------------------------------------------------
  function addButton() {
    const header = document.querySelector(".md-header__inner");
    if (!header) return;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "zx-search-button";
    button.setAttribute("aria-label", "搜索（快捷键 /）");
    button.innerHTML = `<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M9.5 3A6.5 6.5 0 0 1 16 9.5c0 1.61-.59 3.09-1.56 4.23l.27.27h.79l5 5-1.5 1.5-5-5v-.79l-.27-.27A6.52 6.52 0 0 1 9.5 16 6.5 6.5 0 0 1 3 9.5 6.5 6.5 0 0 1 9.5 3m0 2C7 5 5 7 5 9.5S7 14 9.5 14 14 12 14 9.5 12 5 9.5 5"/></svg><span class="zx-search-button__label">搜索</span><kbd>/</kbd>`;
    button.addEventListener("click", open);
    const source = header.querySelector(".md-header__source");
    header.insertBefore(button, source);
  }

  document.addEventListener("keydown", (event) => {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
    event.preventDefault();
    open();
  });

  // -- the hit on the page a result opened ----------------------------------------
  function highlightHit() {
    const query = new URLSearchParams(location.search).get("q");
    const article = document.querySelector(".md-content article");
    if (!query || !article) return;
    let words = terms(query);
    const text = article.textContent;
    if (!words.some((w) => text.includes(w))) {
      words = [...new Set(words.flatMap((w) => (w.match(HAN_RUN) ? pairs(w) : [w])))];
    }
    const pattern = regexFor(words);
    const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT, {
      acceptNode: (node) =>
        node.parentElement.closest("script, style, .headerlink") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
    });
    const nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    let first = null;
    for (const node of nodes) {
      pattern.lastIndex = 0;
      if (!pattern.test(node.data)) continue;
      const fragment = document.createDocumentFragment();
      let last = 0;
      node.data.replace(pattern, (match, offset) => {
        fragment.append(node.data.slice(last, offset));
        const mark = document.createElement("mark");
        mark.className = "zx-hit";
        mark.textContent = match;
        fragment.append(mark);
        first = first || mark;
        last = offset + match.length;
        return match;
      });
      fragment.append(node.data.slice(last));
      node.replaceWith(fragment);
    }
    if (first) first.scrollIntoView({ block: "center" });
  }

  // For benchmarks and tests: the query exactly as the search box sends it to Pagefind.
  window.zhengxieSearch = { indexQuery, engine, find };

  const ready = () => {
    addButton();
    highlightHit();
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
