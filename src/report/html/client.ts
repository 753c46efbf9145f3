/**
 * The HTML view's code in the browser. `viewClient` is embedded in the page
 * as its own source text (Function.prototype.toString), so it must refer to
 * nothing outside itself but the browser's globals: the page and the
 * playground both call it with the data of data.ts. It draws; every fact
 * (overlaps, races, caches) comes worked out in the data.
 */

// The project compiles without the DOM library (it would clash with Node's
// types), so the browser's globals are declared loosely here, for this file only.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare const window: any;
declare const location: any;
declare const getComputedStyle: any;

/** Renders `page` into `root`; returns a function that shows another page in the same place. */
export function viewClient(root: any, page: any, composeWhy: (v: any, i: number, j: number) => string): (next: any) => void {
  const NS = 'http://www.w3.org/2000/svg';
  // The lanes' geometry in pixels: lane height, column width, the lane heads' width, gaps.
  const LANE = 118;
  const COL = 200;
  const HEAD = 214;
  const GAP_X = 28;
  const GAP_Y = 10;
  const esc = (s: unknown) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
  const el = (tag: string, attrs: Record<string, string> = {}, html = '') => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (html) e.innerHTML = html;
    return e;
  };
  // The decoding of data.ts's encodeSet: index ranges, or "b" + a base64 bitset.
  const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const expand = (text: string): number[] => {
    if (!text) return [];
    const out: number[] = [];
    if (text[0] === 'b') {
      for (let i = 1, byte = 0; i < text.length; i += 4, byte += 3) {
        const n = (B64.indexOf(text[i]) << 18) | (B64.indexOf(text[i + 1]) << 12) | (B64.indexOf(text[i + 2]) << 6) | B64.indexOf(text[i + 3]);
        const three = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
        for (let j = 0; j < 3; j++) for (let bit = 0; bit < 8; bit++) if (three[j] & (1 << bit)) out.push((byte + j) * 8 + bit);
      }
      return out;
    }
    for (const part of text.split(',')) {
      const [a, b] = part.split('-').map(Number);
      if (b === undefined || Number.isNaN(b)) out.push(a);
      else for (let k = a; k <= b; k++) out.push(k);
    }
    return out;
  };
  // Cache colours: distinct hues, each also named by its mark (A, B, …) so colour is never the only cue.
  const HUES = [210, 30, 130, 280, 340, 180, 60, 0, 250, 100];
  const cacheColour = (c: number) => `hsl(${HUES[c % HUES.length]} 70% ${c >= HUES.length ? 75 : 85}%)`;

  let current = page;
  let docIndex = 0;
  let variant = 0;
  let selected = -1;
  let lit: any[] = [];
  let stepEls: any[] = [];
  let redraw: () => void = () => {};

  function show(next: any) {
    current = next;
    const wanted = /^#doc-(\d+)$/.exec(location.hash || '');
    docIndex = wanted && Number(wanted[1]) < current.documents.length ? Number(wanted[1]) : Math.min(docIndex, current.documents.length - 1);
    variant = 0;
    render();
  }

  function render() {
    root.innerHTML = '';
    root.classList.add('mountlint-view');
    const docs = current.documents;
    if (docs.length > 1 || current.summary) root.appendChild(summary());
    const doc = docs[docIndex];
    if (!doc) {
      root.appendChild(el('p', {}, 'Nothing to show.'));
      return;
    }
    const section = el('section', { class: 'doc', id: `doc-${docIndex}`, 'aria-label': doc.name });
    section.appendChild(el('h2', {}, esc(doc.name)));
    root.appendChild(section);
    if (!doc.view) {
      section.appendChild(el('p', { class: 'note' }, esc(doc.error || 'This file does not build, so there is no build to draw; its findings:')));
      section.appendChild(findingList(doc.findings || [], undefined));
      return;
    }
    if (doc.fixes && doc.fixes.length) section.appendChild(chooser(doc));
    const view = variant === 0 ? doc.view : doc.fixes[variant - 1].view;
    const body = el('div', { class: 'variant' });
    section.appendChild(body);
    if (variant > 0) {
      const fix = doc.fixes[variant - 1];
      const diff = el('details', { class: 'diff', open: '' });
      diff.appendChild(el('summary', {}, `The change <code>--fix --fix-strategy ${esc(fix.strategy)}</code> makes`));
      diff.appendChild(el('pre', { class: 'diff-text', tabindex: '0' }, fix.diff.split('\n').map((l: string) => `<span class="${l.startsWith('+') && !l.startsWith('+++') ? 'add' : l.startsWith('-') && !l.startsWith('---') ? 'del' : ''}">${esc(l)}</span>`).join('\n')));
      body.appendChild(diff);
    }
    drawView(body, view);
  }

  function summary() {
    const box = el('section', { class: 'summary', 'aria-label': 'Summary' });
    const docs = current.documents;
    const total = { error: 0, warning: 0, info: 0 } as Record<string, number>;
    const rules: Record<string, number> = {};
    for (const d of docs) for (const f of d.findings || []) {
      total[f.severity] = (total[f.severity] || 0) + 1;
      rules[f.rule] = (rules[f.rule] || 0) + 1;
    }
    box.appendChild(el('h2', {}, `${docs.length} file${docs.length === 1 ? '' : 's'}: ${total.error} errors, ${total.warning} warnings, ${total.info} info`));
    if (Object.keys(rules).length) box.appendChild(el('p', { class: 'rules' }, 'By rule: ' + Object.entries(rules).sort((a, b) => b[1] - a[1]).map(([r, n]) => `<code>${esc(r)}</code> ${n}`).join(', ')));
    const rows = docs.map((d: any, i: number) => {
      const c = { error: 0, warning: 0, info: 0 } as Record<string, number>;
      for (const f of d.findings || []) c[f.severity]++;
      return `<tr${i === docIndex ? ' class="current"' : ''}><td><a href="#doc-${i}" data-doc="${i}">${esc(d.name)}</a></td><td>${c.error}</td><td>${c.warning}</td><td>${c.info}</td><td>${esc([...new Set((d.findings || []).map((f: any) => f.rule))].join(', '))}</td></tr>`;
    });
    const table = el('table', {}, `<caption>Files and their findings</caption><thead><tr><th scope="col">File</th><th scope="col">Errors</th><th scope="col">Warnings</th><th scope="col">Info</th><th scope="col">Rules</th></tr></thead><tbody>${rows.join('')}</tbody>`);
    // A link changes the fragment; the hashchange handler below shows that file.
    box.appendChild(table);
    return box;
  }

  function chooser(doc: any) {
    const box = el('fieldset', { class: 'chooser' });
    box.appendChild(el('legend', {}, 'Fix strategy'));
    const options = [{ strategy: 'as written', description: 'the file as it is' }, ...doc.fixes];
    options.forEach((f: any, i: number) => {
      const id = `fix-${docIndex}-${i}`;
      const label = el('label', { for: id });
      const input = el('input', { type: 'radio', name: `fix-${docIndex}`, id, value: f.strategy });
      if (i === variant) input.setAttribute('checked', '');
      input.addEventListener('change', () => {
        variant = i;
        selected = -1;
        render();
        const again = document.getElementById(id);
        if (again) again.focus();
      });
      label.appendChild(input);
      label.appendChild(el('span', {}, ` <b>${esc(f.strategy)}</b>${i ? ` — ${esc(f.description)}${f.remaining !== undefined ? ` (${f.remaining} race${f.remaining === 1 ? '' : 's'} left)` : ''}` : ''}`));
      box.appendChild(label);
    });
    return box;
  }

  function drawView(body: any, v: any) {
    const head = el('p', { class: 'request' }, `<b>${esc(v.request)}</b> — ${esc(v.why)}; target <code>${esc(v.target)}</code>; platforms ${v.platforms.map((p: string) => `<code>${esc(p)}</code>`).join(', ')}`);
    body.appendChild(head);
    if (v.caches.length) {
      const legend = el('ul', { class: 'caches', 'aria-label': 'Caches' });
      v.caches.forEach((c: any, i: number) => {
        legend.appendChild(el('li', {}, `<span class="badge" style="background:${cacheColour(i)}">${esc(c.mark)}</span> cache ${esc(c.label)}${c.detail ? ` <small>(${esc(c.detail)})</small>` : ''} at ${c.targets.map((t: string) => `<code>${esc(t)}</code>`).join(', ')} — ${c.users} mount${c.users === 1 ? '' : 's'} in the build${c.users > 1 ? ', one directory' : ''}`));
      });
      body.appendChild(legend);
    }
    body.appendChild(el('p', { class: 'hint' }, 'Select a step (click, or Tab then Enter) to see every step BuildKit may run at the same time, and why. Esc clears.'));

    const wrap = el('div', { class: 'lanes-wrap', tabindex: '-1' });
    const grid = el('div', { class: 'lanes', role: 'list', 'aria-label': 'Build lanes: one per stage' });
    const manyFiles = new Set(v.lanes.map((l: any) => l.file)).size > 1;
    const maxDepth = v.steps.reduce((m: number, s: any) => Math.max(m, s.depth), 0);
    // Fixed geometry (every lane one height, every column one width): a big build lays out without
    // measuring its boxes, lanes off screen are skipped (content-visibility), and links are drawn from numbers.
    grid.style.width = `${HEAD + (maxDepth + 1) * COL + 10}px`;
    grid.style.height = `${v.lanes.length * LANE}px`;
    const byLane: string[][] = v.lanes.map(() => []);
    v.steps.forEach((s: any, i: number) => {
      const badges = s.caches.map(([c, sharing, target]: [number, string, string]) => `<span class="badge" style="background:${cacheColour(c)}" title="cache ${esc(v.caches[c].label)} at ${esc(target)}">${esc(v.caches[c].mark)} ${esc(target)} · ${esc(sharing)}</span>`).join('');
      const fs = s.findings.map((f: number) => v.findings[f]).map((f: any) => `<span class="finding ${esc(f.severity)}">${esc(f.severity)}: ${esc(f.rule)}</span>`).join('');
      const also = s.also.length ? `<span class="also">merged: also ${s.also.map(esc).join(', ')}</span>` : '';
      const skipped = s.built ? '' : '<span class="not-built">not built</span>';
      byLane[s.lane].push(`<button type="button" class="step${s.built ? '' : ' skipped'}${s.findings.length ? ' has-finding' : ''}" id="step-${docIndex}-${i}" data-step="${i}" data-at="${esc(s.file)}:${s.line}" aria-pressed="false" style="left:${HEAD + s.depth * COL}px;width:${COL - GAP_X}px" title="${esc(s.text)}"><span class="where">${esc(s.kind)} · ${manyFiles ? `${esc(s.file)}:` : 'line '}${s.line}</span><span class="text">${esc(s.text)}</span>${badges}${also}${fs}${skipped}<span class="mark" aria-hidden="true"></span></button>`);
    });
    grid.innerHTML = v.lanes
      .map((l: any, i: number) => {
        const name = `${l.build ? `${esc(l.build)} · ` : ''}<b>${esc(l.stage)}</b>${v.platforms.length > 1 ? ` · ${esc(l.platform)}` : ''}`;
        const head = `<div class="lane-head" style="width:${HEAD - 14}px">${name}<br><small>FROM ${esc(l.base)} · line ${l.line}</small><br><small class="why">${l.built ? esc(l.reason) : `skipped — ${esc(l.reason)}`}</small></div>`;
        return `<div class="lane${l.built ? '' : ' skipped'}" role="listitem" data-lane="${i}" style="top:${i * LANE}px;height:${LANE - GAP_Y}px">${head}${byLane[i].join('')}</div>`;
      })
      .join('');
    const svg = document.createElementNS(NS, 'svg');
    svg.setAttribute('class', 'links');
    svg.setAttribute('aria-hidden', 'true');
    grid.appendChild(svg);
    wrap.appendChild(grid);
    body.appendChild(wrap);
    stepEls = Array.from(grid.querySelectorAll('button.step'));

    const details = el('section', { class: 'details', 'aria-live': 'polite', 'aria-label': 'Selected step' }, '<p>No step selected.</p>');
    body.appendChild(details);

    // Races, also as text (the red links are the picture of this list).
    const raceBox = el('section', { class: 'races', 'aria-label': 'Races' });
    raceBox.appendChild(el('h3', {}, v.races.length ? `Races (${v.races.length})` : 'Races: none'));
    const rl = el('ul');
    v.races.forEach((r: any, i: number) => {
      const a = v.steps[r.a];
      const b = v.steps[r.b];
      const li = el('li', { class: 'race-item', 'data-race': String(i) }, `<b class="race-label">race on ${esc(r.cache)}</b>: <button type="button" class="goto" data-step="${r.a}">line ${a.line} (${esc(v.lanes[a.lane].stage)})</button> ⟷ <button type="button" class="goto" data-step="${r.b}">line ${b.line} (${esc(v.lanes[b.lane].stage)})</button><br>${esc(r.message)}`);
      rl.appendChild(li);
    });
    raceBox.appendChild(rl);
    body.appendChild(raceBox);
    const fb = el('section', { class: 'findings', 'aria-label': 'Findings' });
    fb.appendChild(el('h3', {}, v.findings.length ? `Findings (${v.findings.length})` : 'Findings: none'));
    fb.appendChild(findingList(v.findings, v));
    body.appendChild(fb);

    const onPick = (ev: any) => {
      const b = ev.target.closest('[data-step]');
      if (!b) return;
      select(v, Number(b.dataset.step), b.classList.contains('goto'));
    };
    grid.addEventListener('click', onPick);
    raceBox.addEventListener('click', onPick);
    fb.addEventListener('click', onPick);
    body.addEventListener('keydown', (ev: any) => {
      if (ev.key === 'Escape') select(v, -1, false);
    });
    redraw = () => links(v, grid, svg);
    // Links need the layout: draw them once it is there.
    (window.requestAnimationFrame || ((f: () => void) => setTimeout(f, 0)))(() => redraw());
    if (selected >= 0 && selected < v.steps.length) select(v, selected, false);
  }

  function findingList(list: any[], v: any) {
    const ul = el('ul', { class: 'finding-list' });
    list.forEach((f: any) => {
      const at = v && f.step !== undefined ? ` <button type="button" class="goto" data-step="${f.step}">show step</button>` : '';
      ul.appendChild(el('li', { class: `finding-item ${esc(f.severity)}` }, `<span class="sev">${esc(f.severity)}</span> <code>${esc(f.file)}:${f.line}:${f.column}</code> <code>${esc(f.rule)}</code> ${esc(f.message)}${at}${f.fixes && f.fixes.length ? `<br><small>fixes: ${f.fixes.map(esc).join('; ')}</small>` : ''}`));
    });
    return ul;
  }

  function select(v: any, i: number, scroll: boolean) {
    for (const e of lit) {
      e.classList.remove('selected', 'overlap');
      e.setAttribute('aria-pressed', 'false');
      const m = e.querySelector('.mark');
      if (m) m.textContent = '';
    }
    lit = [];
    const details = root.querySelector('.details');
    if (i < 0 || i === selected && !scroll) {
      selected = -1;
      if (details) details.innerHTML = '<p>No step selected.</p>';
      return;
    }
    selected = i;
    const s = v.steps[i];
    const me = stepEls[i];
    me.classList.add('selected');
    me.setAttribute('aria-pressed', 'true');
    me.querySelector('.mark').textContent = 'selected';
    lit.push(me);
    const others = s.overlap < 0 ? [] : expand(v.overlapSets[s.overlap]);
    const byWhy = new Map<string, number[]>();
    for (const j of others) {
      const e = stepEls[j];
      e.classList.add('overlap');
      e.querySelector('.mark').textContent = 'may run at the same time';
      lit.push(e);
      const text = composeWhy(v, i, j);
      byWhy.set(text, [...(byWhy.get(text) || []), j]);
    }
    const lane = v.lanes[s.lane];
    const caches = s.caches.map(([c, sharing, target]: [number, string, string]) => `<li><span class="badge" style="background:${cacheColour(c)}">${esc(v.caches[c].mark)}</span> cache ${esc(v.caches[c].label)} at <code>${esc(target)}</code>, sharing=${esc(sharing)}</li>`).join('');
    let html = `<h3>${esc(s.kind)} · ${esc(s.file)} line ${s.line} · stage ${esc(lane.stage)}${v.platforms.length > 1 ? ` · ${esc(lane.platform)}` : ''}</h3><pre>${esc(s.text)}</pre>`;
    if (!s.built) html += `<p>Not built: ${esc(lane.reason)}.</p>`;
    if (s.also.length) html += `<p>BuildKit runs this once for: ${s.also.map(esc).join(', ')}.</p>`;
    if (caches) html += `<ul>${caches}</ul>`;
    html += others.length ? `<p class="overlap-count">${others.length} step${others.length === 1 ? '' : 's'} may run at the same time:</p>` : `<p class="overlap-count">${s.built ? 'No step may run at the same time: every other step waits for it or it waits for them.' : ''}</p>`;
    let groups = 0;
    for (const [why, list] of byWhy) {
      if (++groups > 20) {
        const rest = [...byWhy.values()].slice(20).reduce((n, l) => n + l.length, 0);
        html += `<p>and ${rest} more step${rest === 1 ? '' : 's'}, for ${byWhy.size - 20} other reasons (all highlighted above)</p>`;
        break;
      }
      const names = list.slice(0, 50).map((j) => `<button type="button" class="goto" data-step="${j}">line ${v.steps[j].line} (${esc(v.lanes[v.steps[j].lane].stage)})</button>`).join(' ');
      html += `<p>${names}${list.length > 50 ? ` and ${list.length - 50} more` : ''}<br><small>why: ${esc(why)}</small></p>`;
    }
    for (const f of s.findings) html += `<p class="finding ${esc(v.findings[f].severity)}">${esc(v.findings[f].severity)} ${esc(v.findings[f].rule)}: ${esc(v.findings[f].message)}</p>`;
    if (details) {
      details.innerHTML = html;
      details.onclick = (ev: any) => {
        const b = ev.target.closest('[data-step]');
        if (b) select(v, Number(b.dataset.step), true);
      };
    }
    if (scroll) {
      me.scrollIntoView({ block: 'nearest', inline: 'center' });
      me.focus();
    }
  }

  function links(v: any, grid: any, svg: any) {
    if (!grid.isConnected) return;
    const w = HEAD + (v.steps.reduce((m: number, s: any) => Math.max(m, s.depth), 0) + 1) * COL + 10;
    const h = v.lanes.length * LANE;
    svg.setAttribute('width', String(w));
    svg.setAttribute('height', String(h));
    svg.setAttribute('viewBox', `0 0 ${w} ${h}`);
    const rects = v.steps.map((s: any) => ({ x: HEAD + s.depth * COL, y: s.lane * LANE + 4, w: COL - GAP_X, h: LANE - GAP_Y - 8 }));
    const parts: string[] = ['<defs><marker id="arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#777"/></marker></defs>'];
    // Dependencies between lanes (within a lane, order says it); races in red on top.
    v.steps.forEach((s: any, i: number) => {
      for (const j of s.inputs) {
        if (v.steps[j].lane === s.lane) continue;
        const a = rects[j];
        const b = rects[i];
        const x1 = a.x + a.w;
        const y1 = a.y + a.h / 2;
        const x2 = b.x;
        const y2 = b.y + b.h / 2;
        parts.push(`<path class="dep" data-from="${j}" data-to="${i}" d="M${x1},${y1} C${x1 + 30},${y1} ${x2 - 30},${y2} ${x2},${y2}" marker-end="url(#arrow)"/>`);
      }
    });
    v.races.forEach((r: any, k: number) => {
      const a = rects[r.a];
      const b = rects[r.b];
      const [top, bottom] = a.y <= b.y ? [a, b] : [b, a];
      const x1 = top.x + top.w / 2;
      const y1 = top.y + top.h;
      const x2 = bottom.x + bottom.w / 2;
      const y2 = bottom.y;
      // Boxes one above the other: the link bows out to the right, so it reads as a link and its label has room.
      const mx = (x1 + x2) / 2 + (Math.abs(x1 - x2) < 40 ? Math.min(top.w, bottom.w) / 2 + 30 : 0);
      const my = (y1 + y2) / 2;
      parts.push(`<g class="race" data-race="${k}" data-a="${r.a}" data-b="${r.b}"><title>${esc(r.message)}</title><path d="M${x1},${y1} Q${mx},${my} ${x2},${y2}"/><circle cx="${x1}" cy="${y1}" r="4"/><circle cx="${x2}" cy="${y2}" r="4"/><text x="${(x1 + x2) / 2 + (mx - (x1 + x2) / 2) / 2 + 8}" y="${my + 4}">race on ${esc(r.cache)}</text></g>`);
    });
    svg.innerHTML = parts.join('');
    // Drawn and ready to use (the bench and the tests wait for this).
    root.dataset.drawn = String((Number(root.dataset.drawn) || 0) + 1);
  }

  window.addEventListener('resize', () => redraw());
  window.addEventListener('hashchange', () => {
    const m = /^#doc-(\d+)$/.exec(location.hash || '');
    if (m && Number(m[1]) < current.documents.length && Number(m[1]) !== docIndex) {
      docIndex = Number(m[1]);
      variant = 0;
      selected = -1;
      render();
    }
  });
  void getComputedStyle;
  show(page);
  return show;
}
