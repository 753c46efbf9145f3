/** One measurement for `npm run bench`: lint (and --fix) N racing stages in a fresh process; prints ms and peak RSS. */
import { generateRacingStages, ROOT } from './corpus.mjs';

const stages = Number(process.argv[2]);
const engine = await import(`${ROOT}/dist/src/engine/index.js`);
await engine.prepare();
const text = generateRacingStages(stages);
const t = performance.now();
const result = engine.lintText(text, 'stages.Dockerfile');
const lintMs = performance.now() - t;
const f = performance.now();
engine.fixText(text, 'stages.Dockerfile', {}, result);
const fixMs = performance.now() - f;
const races = result.diagnostics.filter((d) => d.ruleId === 'cache-race').length;
console.log(JSON.stringify({ stages, lintMs, fixMs, races, rssMiB: process.resourceUsage().maxRSS / 1024 }));
