// serve/web_page.cc — the page `trove serve` shows at /: one HTML file, one script,
// one stylesheet, embedded here (no build step, no CDN, nothing fetched from outside;
// the Content-Security-Policy in http_server.cc enforces that).
//
// Search as you type (debounced 150 ms), matched terms highlighted from the API's
// snippet_spans, path and page/lines per hit; Enter or a click opens the passage with
// its neighbours; "Ask" streams an answer over SSE with clickable [n] citations;
// /?q=… searches on load (bookmarkable) and the URL follows the query; `/` focuses
// the box, arrows move, Escape goes back; dark mode follows prefers-color-scheme;
// the footer shows documents, models and the last run. With a token the page reads
// it from #token=… (fragments are never sent to a server) and keeps it for the tab.
#include <string>

#include "serve/http_server.h"

namespace trove::serve {

const std::string& web_page_html() {
  static const std::string html = R"HTML(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>trove</title>
<link rel="stylesheet" href="/app.css">
<script src="/app.js" defer></script>
</head>
<body>
<header>
  <form id="form" role="search" autocomplete="off">
    <input id="q" type="search" name="q" placeholder="Search your documents  ( / )" aria-label="Search" autofocus>
    <label class="mode"><input id="ask" type="checkbox"> Ask</label>
  </form>
</header>
<main>
  <p id="message" role="status"></p>
  <section id="answer" hidden aria-live="polite"></section>
  <ol id="results" aria-label="Results"></ol>
  <article id="passage" hidden></article>
</main>
<footer id="status">…</footer>
</body>
</html>
)HTML";
  return html;
}

const std::string& web_page_css() {
  static const std::string css = R"CSS(:root { --bg: #fff; --fg: #1b1b1b; --dim: #666; --line: #ddd; --mark: #ffe58a; --accent: #0b57d0; --sel: #eef3fd; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #141414; --fg: #e6e6e6; --dim: #9a9a9a; --line: #333; --mark: #6b5400; --accent: #8ab4f8; --sel: #1f2a3a; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 15px/1.5 system-ui, sans-serif; }
header { position: sticky; top: 0; background: var(--bg); border-bottom: 1px solid var(--line); padding: 12px 16px; }
form { display: flex; gap: 12px; max-width: 900px; margin: 0 auto; align-items: center; }
#q { flex: 1; font-size: 17px; padding: 8px 10px; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); color: var(--fg); }
main { max-width: 900px; margin: 0 auto; padding: 8px 16px 64px; }
#results { list-style: none; padding: 0; margin: 0; }
.hit { padding: 10px 8px; border-bottom: 1px solid var(--line); cursor: pointer; border-radius: 4px; }
.hit.selected, .hit:hover { background: var(--sel); }
.path { color: var(--accent); font-size: 13px; word-break: break-all; }
.span, .score, .heading, #message, footer { color: var(--dim); font-size: 13px; }
mark { background: var(--mark); color: inherit; padding: 0 1px; border-radius: 2px; }
#passage { white-space: pre-wrap; border: 1px solid var(--line); border-radius: 6px; padding: 12px; margin-top: 12px; }
#passage .ctx { color: var(--dim); }
#passage .focus { border-left: 3px solid var(--accent); padding-left: 8px; display: block; margin: 8px 0; }
#answer { white-space: pre-wrap; border: 1px solid var(--line); border-radius: 6px; padding: 12px; margin: 8px 0; }
.cite { color: var(--accent); cursor: pointer; text-decoration: underline; }
footer { position: fixed; bottom: 0; left: 0; right: 0; padding: 6px 16px; background: var(--bg); border-top: 1px solid var(--line); }
)CSS";
  return css;
}

const std::string& web_page_js() {
  static const std::string js = R"JS('use strict';
(() => {
  const $ = (id) => document.getElementById(id);
  const q = $('q'), askBox = $('ask'), results = $('results'), passage = $('passage');
  const answerBox = $('answer'), message = $('message');
  let hits = [], selected = -1, timer = 0, seq = 0, asking = null;

  const m = /(?:^|&)token=([^&]+)/.exec(location.hash.slice(1));
  if (m) { sessionStorage.setItem('trove-token', decodeURIComponent(m[1])); history.replaceState(null, '', location.pathname + location.search); }
  const token = sessionStorage.getItem('trove-token');
  const headers = (extra) => Object.assign(token ? { Authorization: 'Bearer ' + token } : {}, extra || {});
  const api = (url, opts) => fetch(url, Object.assign({ headers: headers() }, opts || {}));

  const el = (tag, cls, text) => { const e = document.createElement(tag); if (cls) e.className = cls; if (text != null) e.textContent = text; return e; };
  const span = (h) => h.page_start ? (h.page_end > h.page_start ? 'pp. ' + h.page_start + '-' + h.page_end : 'p. ' + h.page_start)
    : h.line_start ? (h.line_end > h.line_start ? 'lines ' + h.line_start + '-' + h.line_end : 'line ' + h.line_start) : '';

  function snippet(h) {
    const div = el('div', 'snippet');
    (h.snippet_spans || [h.snippet || '']).forEach((part, i) => div.append(i % 2 ? el('mark', null, part) : document.createTextNode(part)));
    return div;
  }

  function render() {
    results.replaceChildren();
    hits.forEach((h, i) => {
      const li = el('li', 'hit' + (i === selected ? ' selected' : ''));
      li.dataset.chunkId = h.chunk_id;
      const top = el('div');
      top.append(el('span', 'path', h.path), document.createTextNode(' '), el('span', 'span', span(h)), document.createTextNode(' '), el('span', 'score', '[' + h.score.toFixed(3) + ']'));
      li.append(top);
      if (h.heading) li.append(el('div', 'heading', h.heading));
      li.append(snippet(h));
      li.addEventListener('click', () => { selected = i; render(); openPassage(h.chunk_id); });
      results.append(li);
    });
  }

  async function search(text) {
    const my = ++seq;
    const url = new URL(location.href);
    if (text) url.searchParams.set('q', text); else url.searchParams.delete('q');
    history.replaceState(null, '', url.pathname + url.search);
    if (!text.trim()) { hits = []; render(); message.textContent = ''; return; }
    try {
      const r = await api('/api/search?k=20&q=' + encodeURIComponent(text));
      const body = await r.json();
      if (my !== seq) return;
      if (!r.ok) { message.textContent = body.error || r.statusText; hits = []; render(); return; }
      hits = body.results; selected = hits.length ? 0 : -1;
      message.textContent = hits.length ? hits.length + ' passages' + (body.mode ? ' (' + body.mode + ')' : '') + (body.note ? ' — ' + body.note : '')
        : 'No passage matches.' + (body.note ? ' ' + body.note : '');
      passage.hidden = true; render();
    } catch (e) { if (my === seq) message.textContent = 'search failed: ' + e; }
  }

  async function openPassage(id) {
    const r = await api('/api/passage/' + id + '?neighbours=1');
    const body = await r.json();
    passage.replaceChildren();
    if (!r.ok) { passage.textContent = body.error; passage.hidden = false; return; }
    const p = body.passage;
    passage.append(el('div', 'path', p.path + (span(p) ? ', ' + span(p) : '')));
    if (p.heading) passage.append(el('div', 'heading', p.heading));
    body.before.forEach((h) => passage.append(el('span', 'ctx', h.text + '\n')));
    passage.append(el('span', 'focus', p.text));
    body.after.forEach((h) => passage.append(el('span', 'ctx', h.text + '\n')));
    passage.hidden = false;
    passage.scrollIntoView({ block: 'nearest' });
  }

  // The answer with each [n] made a link to source n.
  function renderAnswer(text, sources) {
    answerBox.replaceChildren();
    let last = 0;
    for (const mm of text.matchAll(/\[(\d+)\]/g)) {
      answerBox.append(document.createTextNode(text.slice(last, mm.index)));
      const n = Number(mm[1]), s = sources[n - 1];
      const a = el('span', 'cite', mm[0]);
      if (s) { a.title = s.path + (span(s) ? ', ' + span(s) : ''); a.addEventListener('click', () => openPassage(s.chunk_id)); }
      answerBox.append(a);
      last = mm.index + mm[0].length;
    }
    answerBox.append(document.createTextNode(text.slice(last)));
  }

  async function ask(question) {
    if (asking) asking.abort();
    asking = new AbortController();
    answerBox.hidden = false; answerBox.textContent = '…'; message.textContent = 'answering…';
    let text = '', sources = [];
    try {
      const r = await fetch('/api/ask', { method: 'POST', signal: asking.signal, headers: headers({ 'Content-Type': 'application/json', Accept: 'text/event-stream' }), body: JSON.stringify({ question }) });
      if (!r.ok) { const b = await r.json(); answerBox.textContent = b.error || r.statusText; message.textContent = ''; return; }
      const reader = r.body.getReader(), dec = new TextDecoder();
      let buf = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += dec.decode(value, { stream: true });
        let cut;
        while ((cut = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, cut); buf = buf.slice(cut + 2);
          const ev = /^event: (.*)$/m.exec(block), data = /^data: (.*)$/m.exec(block);
          if (!ev || !data) continue;
          const d = JSON.parse(data[1]);
          if (ev[1] === 'sources') { sources = d.sources; hits = sources; selected = -1; render(); }
          else if (ev[1] === 'token') { text += d.text; renderAnswer(text, sources); }
          else if (ev[1] === 'done') { sources = d.sources; hits = sources; render(); renderAnswer(d.answer, sources); message.textContent = d.model ? 'answered by ' + d.model : 'no answer model: the best passages'; }
          else if (ev[1] === 'error') { answerBox.textContent = d.error; message.textContent = ''; }
        }
      }
    } catch (e) { if (e.name !== 'AbortError') answerBox.textContent = 'ask failed: ' + e; }
  }

  q.addEventListener('input', () => { if (askBox.checked) return; clearTimeout(timer); timer = setTimeout(() => search(q.value), 150); });
  $('form').addEventListener('submit', (e) => { e.preventDefault(); if (askBox.checked) ask(q.value); else if (selected >= 0 && hits[selected]) openPassage(hits[selected].chunk_id); else search(q.value); });
  askBox.addEventListener('change', () => { answerBox.hidden = !askBox.checked; q.placeholder = askBox.checked ? 'Ask a question, then Enter' : 'Search your documents  ( / )'; q.focus(); });
  document.addEventListener('keydown', (e) => {
    if (e.key === '/' && document.activeElement !== q) { e.preventDefault(); q.focus(); q.select(); return; }
    if (e.key === 'Escape') { passage.hidden = true; return; }
    if (!hits.length || (e.key !== 'ArrowDown' && e.key !== 'ArrowUp')) return;
    e.preventDefault();
    selected = Math.max(0, Math.min(hits.length - 1, selected + (e.key === 'ArrowDown' ? 1 : -1)));
    render();
    results.children[selected].scrollIntoView({ block: 'nearest' });
  });

  async function status() {
    try {
      const s = await (await api('/api/status')).json();
      const run = s.last_run ? 'last run ' + new Date(s.last_run.started_at_ms).toLocaleString() + ' (' + s.last_run.status + ')' : 'never indexed';
      const models = 'search ' + (s.models && s.models.embed ? s.models.embed + ' + words' : 'by words') + ', answers ' + (s.models && s.models.answer ? s.models.answer.split('/').pop() : 'extractive');
      $('status').textContent = (s.documents || 0) + ' documents, ' + (s.chunks || 0) + ' passages · ' + models + ' · ' + run;
    } catch (e) { $('status').textContent = 'status unavailable'; }
  }

  const initial = new URLSearchParams(location.search).get('q');
  if (initial) { q.value = initial; search(initial); }
  status();
})();
)JS";
  return js;
}

}  // namespace trove::serve
