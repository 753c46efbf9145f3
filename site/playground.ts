/**
 * The playground: mountlint's own analysis (src/, bundled for the browser
 * by scripts/build-site.ts) on a Dockerfile typed into the page. Nothing
 * leaves the browser: the input is shared through the URL's fragment, which
 * browsers never send. What needs a file system or Docker (configuration
 * files, folders, bake and compose files on disk, `verify`) is CLI only.
 */
import { fixText, lintText, prepare, type LintOptions, type LintResult } from '../src/engine/index.js';
import { FRONTENDS, type Frontend } from '../src/model/index.js';
import { composeWhy, documentOf, fileFixVariants, viewClient, VIEW_CSS, type ViewPage } from '../src/report/index.js';
import { FIX_STRATEGIES, type FixStrategy } from '../src/rules/index.js';
import { definitionDocument, fixDefinition, kindOf } from './definitions.js';
import { preload } from './shim-fs.js';

// The project compiles without the DOM library; the browser's globals, loosely.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare const location: any;
declare const history: any;
declare const performance: { now(): number };
declare const TextEncoder: any;
declare const TextDecoder: any;
declare function btoa(s: string): string;
declare function atob(s: string): string;

export interface PlaygroundState {
  dockerfile: string;
  /** A compose or bake file whose builds all build the Dockerfile ('' for none). */
  definition: string;
  target: string;
  platforms: string;
  frontend: string;
}

const $ = (id: string) => document.getElementById(id);

/** The state as a URL fragment: `#s=` + base64url of its JSON (UTF-8). */
export function encodeState(state: PlaygroundState): string {
  const bytes: Uint8Array = new TextEncoder().encode(JSON.stringify(state));
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return '#s=' + btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function decodeState(hash: string): PlaygroundState | undefined {
  const m = /^#s=([A-Za-z0-9_-]+)$/.exec(hash);
  if (!m) return undefined;
  try {
    const binary = atob(m[1].replace(/-/g, '+').replace(/_/g, '/'));
    const state = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
    return typeof state.dockerfile === 'string' ? { dockerfile: state.dockerfile, definition: String(state.definition ?? ''), target: String(state.target ?? ''), platforms: String(state.platforms ?? ''), frontend: String(state.frontend ?? '') } : undefined;
  } catch {
    return undefined;
  }
}

function readState(): PlaygroundState {
  return { dockerfile: $('dockerfile').value, definition: $('definition').value, target: $('target').value.trim(), platforms: $('platforms').value.trim(), frontend: $('frontend').value };
}

function writeState(s: PlaygroundState) {
  $('dockerfile').value = s.dockerfile;
  $('definition').value = s.definition;
  $('target').value = s.target;
  $('platforms').value = s.platforms;
  $('frontend').value = FRONTENDS.includes(s.frontend as Frontend) ? s.frontend : '';
}

function optionsOf(s: PlaygroundState): LintOptions {
  const platforms = s.platforms ? s.platforms.split(',').map((p) => p.trim()).filter(Boolean) : undefined;
  return { target: s.target || undefined, platforms, frontend: (s.frontend || undefined) as Frontend | undefined };
}

let show: ((page: ViewPage) => void) | undefined;
let hcl: Promise<void> | undefined;
let latest = 0;

/** Lints the editor's text (with the bake or compose file, when there is one) and redraws everything. */
async function analyse(): Promise<void> {
  const state = readState();
  history.replaceState(null, '', encodeState(state));
  if (state.definition.trim()) return analyseDefinition(state, ++latest);
  latest++;
  analyseDockerfile(state);
}

async function analyseDefinition(state: PlaygroundState, run: number): Promise<void> {
  const status = $('status');
  const started = performance.now();
  const options = optionsOf(state);
  if (kindOf(state.definition) === 'bake') await (hcl ??= preload(['tree-sitter-hcl.wasm']));
  const r = await definitionDocument(state.definition, state.dockerfile, options);
  if (run !== latest) return; // typed over: a newer analysis is under way
  if (!r.doc) {
    status.textContent = `Cannot analyse: ${r.error}`;
    status.dataset.state = 'error';
    return;
  }
  const ms = performance.now() - started;
  status.textContent = `${r.diagnostics} finding${r.diagnostics === 1 ? '' : 's'} in the ${kindOf(state.definition)} build; ${r.races} race${r.races === 1 ? '' : 's'} — analysed in ${Math.round(ms)} ms, in this browser`;
  status.dataset.state = 'done';
  status.dataset.races = String(r.races);
  status.dataset.ms = String(Math.round(ms));
  const fixes = $('fixes');
  fixes.innerHTML = '';
  for (const f of r.doc.fixes ?? []) {
    fixes.appendChild(
      fixButton(f.strategy, `Apply fix: ${f.strategy}`, async () => {
        $('dockerfile').value = await fixDefinition(state.definition, state.dockerfile, options, f.strategy);
        await analyse();
      }),
    );
  }
  const page: ViewPage = { title: r.doc.name, documents: [r.doc] };
  if (show) show(page);
  else show = viewClient($('view'), page, composeWhy);
}

function analyseDockerfile(state: PlaygroundState): LintResult | undefined {
  const status = $('status');
  const started = performance.now();
  let result: LintResult;
  const options = optionsOf(state);
  try {
    result = lintText(state.dockerfile, 'Dockerfile', options);
  } catch (err) {
    // A build option the file cannot honour (an unknown --target, a bad platform).
    status.textContent = `Cannot analyse: ${err instanceof Error ? err.message : String(err)}`;
    status.dataset.state = 'error';
    return undefined;
  }
  const doc = documentOf(result, 'Dockerfile', fileFixVariants(result, options));
  const ms = performance.now() - started;
  const counts = { error: 0, warning: 0, info: 0 } as Record<string, number>;
  for (const d of result.diagnostics) counts[d.severity]++;
  const races = result.diagnostics.filter((d) => d.ruleId === 'cache-race').length;
  const n = (k: number, w: string) => `${k} ${w}${k === 1 || w === "info" ? "" : "s"}`;
  status.textContent = `${n(counts.error, "error")}, ${n(counts.warning, "warning")}, ${counts.info} info; ${races} race${races === 1 ? '' : 's'} — analysed in ${Math.round(ms)} ms, in this browser`;
  status.dataset.state = 'done';
  status.dataset.races = String(races);
  status.dataset.ms = String(Math.round(ms));

  // Stage names for the target picker.
  const stages = (result.instructions?.stages ?? []).flatMap((s) => (s.name ? [s.name] : []));
  $('stages').innerHTML = stages.map((n) => `<option value="${n.replace(/"/g, '&quot;')}"></option>`).join('');

  // Apply a fix: one button per strategy the findings offer.
  const offered = new Set(result.diagnostics.flatMap((d) => (d.suggestions ?? (d.fix ? [d.fix] : [])).map((f) => f.strategy)).filter(Boolean));
  const fixes = $('fixes');
  fixes.innerHTML = '';
  const anyFix = result.diagnostics.some((d) => d.fix);
  const apply = (strategy: FixStrategy | undefined) => () => {
    const fixed = fixText(state.dockerfile, 'Dockerfile', { ...optionsOf(state), fixStrategy: strategy });
    $('dockerfile').value = fixed.output;
    return analyse();
  };
  for (const strategy of FIX_STRATEGIES.filter((s) => offered.has(s))) fixes.appendChild(fixButton(strategy, `Apply fix: ${strategy}`, apply(strategy)));
  if (anyFix && !offered.size) fixes.appendChild(fixButton(undefined, 'Apply fixes', apply(undefined)));

  const page: ViewPage = { title: 'Dockerfile', documents: [doc] };
  if (show) show(page);
  else show = viewClient($('view'), page, composeWhy);
  return result;
}

function fixButton(strategy: FixStrategy | undefined, label: string, run: () => Promise<void>) {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'apply';
  b.dataset.strategy = strategy ?? 'default';
  b.textContent = label;
  b.addEventListener('click', () => void run());
  return b;
}

async function main() {
  const style = document.createElement('style');
  style.textContent = VIEW_CSS;
  document.head.appendChild(style);
  $('frontend').innerHTML = '<option value="">as # syntax= says (default: current)</option>' + FRONTENDS.map((f) => `<option value="${f}">${f}</option>`).join('');
  const shared = decodeState(location.hash);
  writeState(shared ?? { dockerfile: $('example').textContent.replace(/^\n/, ''), definition: '', target: '', platforms: '', frontend: '' });
  const status = $('status');
  status.textContent = 'Loading the shell parser…';
  await preload(['tree-sitter.wasm', 'tree-sitter-bash.wasm']);
  await prepare();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const later = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void analyse(), 200);
  };
  for (const id of ['dockerfile', 'definition', 'target', 'platforms']) $(id).addEventListener('input', later);
  $('frontend').addEventListener('change', () => void analyse());
  $('reset').addEventListener('click', () => {
    writeState({ dockerfile: $('example').textContent.replace(/^\n/, ''), definition: '', target: '', platforms: '', frontend: '' });
    void analyse();
  });
  await analyse();
}

main().catch((err) => {
  const status = $('status');
  status.textContent = `The playground could not start: ${err instanceof Error ? err.message : String(err)}`;
  status.dataset.state = 'error';
});
