export { textReport, type TextStyle } from './text.js';
export { jsonReport } from './json.js';
export { unifiedDiff } from './diff.js';
export { explain, explainText, type Explanation } from './explain.js';
export { locate } from './locate.js';
export { verifyText, progressLine } from './verify.js';
export { diagnosticsByFile, type FileDiagnostics } from './by-file.js';
export { explainSet, explainModel, explainGraphText, explainMermaid, explainDot, type GraphExplanation } from './explain-graph.js';
