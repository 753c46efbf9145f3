/**
 * Why two steps of the view may run at the same time, in the words of
 * whyOverlap (src/rules/cache-race/explain-overlap.ts), put together from
 * per-lane parts. Stored per pair of lanes, those sentences grow with the
 * square of the stages times the length of their "used by" chains (30 MB
 * for a generated 5,000-line file); composed, they cost one chain per lane.
 * The page runs this function (embedded as its source text), so it refers
 * to nothing outside itself; test/report/html-data.test.ts checks it says
 * exactly what whyOverlap says, pair by pair.
 */
export interface WhyParts {
  lanes: Array<{ origin: number; stageIndex: number; chain: string }>;
  steps: Array<{ lane: number; file: string; line: number; tp: string }>;
  builds: Array<{ phrase: string; platforms: string[] }>;
  setWhy: string;
}

export function composeWhy(v: WhyParts, i: number, j: number): string {
  const a = v.steps[i];
  const b = v.steps[j];
  const la = v.lanes[a.lane];
  const lb = v.lanes[b.lane];
  const reasons: string[] = [];
  if (a.tp !== b.tp) {
    const order = v.builds[la.origin].platforms;
    const [p1, p2] = order.indexOf(a.tp) <= order.indexOf(b.tp) ? [a.tp, b.tp] : [b.tp, a.tp];
    const same = a.file === b.file && a.line === b.line;
    reasons.push(same ? `BuildKit builds ${p1} and ${p2} at the same time and runs this step once for each, with no platform in the cache id` : `BuildKit builds ${p1} and ${p2} at the same time, with no platform in the cache id`);
  }
  if (la.origin !== lb.origin) {
    reasons.push(`${v.setWhy || 'the builds run together'}, and neither waits for the other`);
  } else if (la.stageIndex !== lb.stageIndex) {
    const chains = [la.chain, lb.chain].filter((c) => c !== '');
    reasons.push(`${v.builds[la.origin].phrase} needs both stages${chains.length ? ` (${chains.join('; ')})` : ''}, and neither waits for the other`);
  }
  return reasons.join('; ') || 'neither step waits for the other';
}
