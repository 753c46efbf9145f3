/** The HTML view's stylesheet (inline in the page; the playground uses it too). */
export const VIEW_CSS = `
:root { --fg: #1b1f24; --muted: #57606a; --line: #d0d7de; --bg: #fff; --lane: #f6f8fa; --race: #c62828; --sel: #0b57d0; --ov: #fff3bf; --ovline: #b7791f; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); margin: 0; }
header.top { padding: .6rem 1rem; border-bottom: 1px solid var(--line); }
header.top h1 { font-size: 1.15rem; margin: 0; }
header.top p { margin: .1rem 0 0; color: var(--muted); }
main, .mountlint-view { padding: .5rem 1rem 2rem; }
h2 { font-size: 1.05rem; margin: .8rem 0 .3rem; }
h3 { font-size: .95rem; margin: .8rem 0 .3rem; }
code, pre, .step .text { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
.request, .hint { margin: .3rem 0; }
.hint { color: var(--muted); font-size: 12px; }
.caches { list-style: none; padding: 0; margin: .3rem 0; display: flex; flex-wrap: wrap; gap: .3rem 1.2rem; }
.badge { display: inline-block; border: 1px solid #0003; border-radius: 3px; padding: 0 .3rem; font: 11px/1.5 ui-monospace, monospace; color: #111; margin: 1px 2px 1px 0; }
.chooser { border: 1px solid var(--line); border-radius: 6px; margin: .4rem 0; display: flex; flex-wrap: wrap; gap: .2rem 1.2rem; }
.chooser label { cursor: pointer; }
.chooser input:focus-visible { outline: 3px solid var(--sel); }
.diff-text { background: #f6f8fa; border: 1px solid var(--line); padding: .4rem; overflow: auto; max-height: 18rem; }
.diff-text .add { background: #e6ffec; display: inline-block; width: 100%; }
.diff-text .del { background: #ffebe9; display: inline-block; width: 100%; }
.lanes-wrap { overflow: auto; border: 1px solid var(--line); border-radius: 6px; max-height: 70vh; }
.lanes { position: relative; }
.lane { position: absolute; left: 0; right: 0; background: var(--lane); border-radius: 4px; content-visibility: auto; contain-intrinsic-size: auto 108px; }
.lane.skipped { background: repeating-linear-gradient(45deg, #f3f3f3, #f3f3f3 6px, #fafafa 6px, #fafafa 12px); }
.lane-head { position: sticky; left: 0; z-index: 3; height: 100%; background: #fff; border: 1px solid var(--line); border-left: 5px solid #6e7781; border-radius: 4px; padding: .25rem .45rem; font-size: 12px; overflow: hidden; }
.lane-head .why { color: var(--muted); }
.lane.skipped .lane-head { border-left-style: dashed; color: var(--muted); background: #fafafa; }
.step { position: absolute; top: 4px; bottom: 4px; z-index: 2; text-align: left; font: inherit; font-size: 12px; background: #fff; color: inherit; border: 1px solid #8c959f; border-radius: 5px; padding: .2rem .4rem; cursor: pointer; overflow: hidden; display: flex; flex-direction: column; gap: 1px; }
.step .where { font-weight: 600; }
.step .text { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; color: #24292f; }
.step .also { font-size: 11px; color: var(--muted); font-style: italic; }
.step .not-built { font-size: 11px; color: var(--muted); }
.step .mark:not(:empty) { font-size: 11px; font-weight: 700; }
.step.skipped { opacity: .55; border-style: dashed; background: #fafafa; }
.step.has-finding { border-color: #9a6700; }
.step:focus-visible { outline: 3px solid var(--sel); outline-offset: 2px; }
.step.selected { border: 3px solid var(--sel); box-shadow: 0 0 0 2px #0b57d055; }
.step.selected .mark { color: var(--sel); }
.step.overlap { background: var(--ov); border: 2px dashed var(--ovline); }
.step.overlap .mark { color: #7a4d00; }
.finding { font-size: 11px; border-radius: 3px; padding: 0 .25rem; }
.finding.error { background: #ffebe9; color: #82071e; }
.finding.warning { background: #fff8c5; color: #633c01; }
.finding.info { background: #ddf4ff; color: #0a3069; }
svg.links { position: absolute; left: 0; top: 0; pointer-events: none; z-index: 1; overflow: visible; }
svg.links .dep { fill: none; stroke: #8c959f; stroke-width: 1.2; stroke-dasharray: 4 3; }
svg.links .race path { fill: none; stroke: var(--race); stroke-width: 3; }
svg.links .race circle { fill: var(--race); }
svg.links .race text { fill: var(--race); font: 700 12px system-ui, sans-serif; paint-order: stroke; stroke: #fff; stroke-width: 4px; }
.details { border: 1px solid var(--line); border-radius: 6px; padding: .3rem .7rem; margin: .6rem 0; min-height: 2.5rem; }
.details pre { white-space: pre-wrap; margin: .2rem 0; }
.goto { font: inherit; font-size: 12px; background: #f6f8fa; border: 1px solid var(--line); border-radius: 4px; padding: 0 .3rem; cursor: pointer; }
.goto:focus-visible { outline: 3px solid var(--sel); }
.races ul, .finding-list { padding-left: 1.1rem; }
.race-label { color: var(--race); }
.race-item { margin: .25rem 0; }
.finding-item .sev { font-weight: 700; text-transform: uppercase; font-size: 11px; }
.finding-item.error .sev { color: #82071e; }
.finding-item.warning .sev { color: #633c01; }
.summary table { border-collapse: collapse; margin: .3rem 0 1rem; }
.summary th, .summary td { border: 1px solid var(--line); padding: .15rem .5rem; text-align: left; font-size: 13px; }
.summary caption { text-align: left; color: var(--muted); }
.summary tr.current { background: #ddf4ff; }
.note { color: var(--muted); }
@media print {
  .chooser, .hint, .goto { display: none; }
  .lanes-wrap { max-height: none; overflow: visible; border: 0; }
  .lane { content-visibility: visible; }
  .step { break-inside: avoid; }
  .diff-text { max-height: none; }
  details.diff { display: block; }
  a { color: inherit; text-decoration: none; }
}
`;
