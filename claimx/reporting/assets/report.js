(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("claimx-data").textContent);
  var SHORT = ["gain", "loss", "neutral"];
  var C = D.claims, DOCS = D.docs, PLACES = D.places, LANGS = D.langs;
  var byDoc = DOCS.map(function () { return []; });
  for (var i = 0; i < C.length; i++) byDoc[C[i][0]].push(i);
  var st = {labels: [true, true, true], lang: -1, place: -1, doc: -1, q: "", page: 0};
  var lower = null;
  function $(id) { return document.getElementById(id); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
  function claimText(i) {
    var c = C[i];
    return c[7] === 0 ? DOCS[c[0]][3].slice(c[2], c[3]) : c[7];
  }
  function matches(i) {
    var c = C[i];
    if (!st.labels[c[4]]) return false;
    if (st.lang >= 0 && c[9] !== st.lang) return false;
    if (st.place >= 0 && c[10].indexOf(st.place) < 0) return false;
    if (st.doc >= 0 && c[0] !== st.doc) return false;
    if (st.q) {
      if (!lower) lower = C.map(function (c, j) { return (claimText(j) + "\n" + (c[8] || "")).toLowerCase(); });
      if (lower[i].indexOf(st.q) < 0) return false;
    }
    return true;
  }
  function fill(select, items) {
    items.forEach(function (it) {
      var o = document.createElement("option");
      o.value = String(it[0]);
      o.textContent = it[1];
      select.appendChild(o);
    });
  }
  var langCount = LANGS.map(function () { return 0; });
  var placeCount = PLACES.map(function () { return 0; });
  var labelCount = [0, 0, 0];
  C.forEach(function (c) {
    langCount[c[9]]++; labelCount[c[4]]++;
    c[10].forEach(function (p) { placeCount[p]++; });
  });
  fill($("f-lang"), LANGS.map(function (l, i) { return [i, l + " (" + langCount[i] + ")"]; }));
  fill($("f-place"), PLACES.map(function (p, i) {
    return [i, p[1] + (p[0] !== p[1] ? " (" + p[0] + ")" : "") + " · " + placeCount[i]];
  }));
  fill($("f-doc"), DOCS.map(function (d, i) { return [i, d[0] + " (" + byDoc[i].length + ")"]; }));
  var buttons = document.querySelectorAll("button.flt");
  buttons.forEach(function (b) { b.querySelector("b").textContent = labelCount[+b.dataset.label]; });

  function scoreTitle(c) {
    var places = c[10].map(function (p) { return PLACES[p][0]; }).join(", ");
    return D.labels[c[4]] + " " + c[5].toFixed(2) + "  (gain " + c[6][0].toFixed(2) + " · loss " +
      c[6][1].toFixed(2) + " · neutral " + c[6][2].toFixed(2) + ")  sentence " + c[1] +
      (places ? "  places: " + places : "");
  }
  function claimRow(box, i, on) {
    var c = C[i];
    var orig = el("div", "orig");
    var span = el(on ? "mark" : "span", on ? "claim " + SHORT[c[4]] : "off", claimText(i));
    span.title = scoreTitle(c);
    span.dataset.label = D.labels[c[4]];
    orig.appendChild(span);
    box.appendChild(orig);
    box.appendChild(el("div", "en", c[8] ? c[8] : ""));
  }
  function renderDoc(d, hits) {
    var doc = DOCS[d];
    var art = el("article", "doc");
    art.dataset.doc = doc[0];
    var head = el("header");
    head.appendChild(el("h4", null, doc[0]));
    var counts = [0, 0, 0], langs = {};
    byDoc[d].forEach(function (i) { counts[C[i][4]]++; langs[LANGS[C[i][9]]] = 1; });
    var meta = [Object.keys(langs).join(", "), doc[1], doc[2],
      byDoc[d].length + " claims: " + counts[0] + " gain · " + counts[1] + " loss · " + counts[2] + " neutral",
      hits.size + " shown"].filter(Boolean).join("  ·  ");
    head.appendChild(el("span", "meta", meta));
    art.appendChild(head);
    var translated = byDoc[d].some(function (i) { return C[i][8]; });
    var box = el("div", translated ? "rows" : "rows mono");
    var text = doc[3];
    if (text) {
      var pos = 0;
      byDoc[d].forEach(function (i) {
        var c = C[i];
        if (c[2] > pos) {
          var gap = text.slice(pos, c[2]);
          if (gap.trim()) box.appendChild(el("div", "gap", gap.replace(/^\s+|\s+$/g, "")));
        }
        claimRow(box, i, hits.has(i));
        pos = Math.max(pos, c[3]);
      });
      var tail = text.slice(pos);
      if (tail.trim()) box.appendChild(el("div", "gap", tail.replace(/^\s+|\s+$/g, "")));
    } else {
      byDoc[d].forEach(function (i) { claimRow(box, i, hits.has(i)); });
    }
    art.appendChild(box);
    return art;
  }
  function render() {
    var docs = [], nClaims = 0, hitsOf = {};
    for (var d = 0; d < DOCS.length; d++) {
      if (st.doc >= 0 && d !== st.doc) continue;
      var hits = new Set();
      byDoc[d].forEach(function (i) { if (matches(i)) hits.add(i); });
      if (hits.size) { docs.push(d); hitsOf[d] = hits; nClaims += hits.size; }
    }
    var pages = Math.max(1, Math.ceil(docs.length / D.pageSize));
    if (st.page >= pages) st.page = pages - 1;
    $("n-claims").textContent = nClaims;
    $("n-docs").textContent = docs.length;
    $("page-info").textContent = "page " + (st.page + 1) + " of " + pages;
    $("prev").disabled = st.page === 0;
    $("next").disabled = st.page >= pages - 1;
    var list = $("doc-list");
    list.textContent = "";
    var frag = document.createDocumentFragment();
    docs.slice(st.page * D.pageSize, (st.page + 1) * D.pageSize).forEach(function (d) {
      frag.appendChild(renderDoc(d, hitsOf[d]));
    });
    list.appendChild(frag);
  }
  function go() { st.page = 0; render(); }
  buttons.forEach(function (b) {
    b.addEventListener("click", function () {
      var k = +b.dataset.label;
      st.labels[k] = !st.labels[k];
      b.setAttribute("aria-pressed", String(st.labels[k]));
      go();
    });
  });
  function choice(id, key) {
    $(id).addEventListener("change", function (e) { st[key] = e.target.value === "" ? -1 : +e.target.value; go(); });
  }
  choice("f-lang", "lang");
  choice("f-place", "place");
  choice("f-doc", "doc");
  var timer = null;
  $("f-q").addEventListener("input", function (e) {
    clearTimeout(timer);
    timer = setTimeout(function () { st.q = e.target.value.trim().toLowerCase(); go(); }, 200);
  });
  $("f-reset").addEventListener("click", function () {
    st = {labels: [true, true, true], lang: -1, place: -1, doc: -1, q: "", page: 0};
    buttons.forEach(function (b) { b.setAttribute("aria-pressed", "true"); });
    ["f-lang", "f-place", "f-doc", "f-q"].forEach(function (id) { $(id).value = ""; });
    render();
  });
  $("prev").addEventListener("click", function () { st.page--; render(); });
  $("next").addEventListener("click", function () { st.page++; render(); });
  // A click on a place bar or a document link sets that filter: `key` names the data attribute,
  // the state field and the select ("f-" + key); `items` are PLACES or DOCS, keyed by their id.
  function filterOnClick(selector, items, key, scroll) {
    var index = {};
    items.forEach(function (it, i) { index[it[0]] = i; });
    document.querySelectorAll(selector).forEach(function (node) {
      node.addEventListener("click", function () {
        var i = index[node.dataset[key]];
        if (i === undefined) return;
        st[key] = i; $("f-" + key).value = String(i); go();
        if (scroll) $("documents").scrollIntoView();
      });
    });
  }
  filterOnClick(".place-bar", PLACES, "place", true);
  filterOnClick("a.doc-link", DOCS, "doc", false);
  document.querySelectorAll("table.sortable").forEach(function (table) {
    table.querySelectorAll("th").forEach(function (th, col) {
      th.addEventListener("click", function () {
        var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
        var dir = th.dataset.dir === "asc" ? -1 : 1;
        th.dataset.dir = dir === 1 ? "asc" : "desc";
        rows.sort(function (a, b) {
          var x = a.cells[col].textContent, y = b.cells[col].textContent;
          var nx = parseFloat(x), ny = parseFloat(y);
          if (!isNaN(nx) && !isNaN(ny)) return dir * (nx - ny);
          return dir * x.localeCompare(y);
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
  render();
})();
