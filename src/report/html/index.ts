export { viewOfResult, viewOfBuilds, ranges, expandOverlap, encodeSet, type ViewData, type ViewStep, type ViewLane, type ViewCache, type ViewRace, type ViewFinding } from './data.js';
export { fileFixVariants, setFixVariants, offeredStrategies, type FixVariant } from './fixes.js';
export { htmlPage, documentOf, pageJson, type ViewPage, type ViewDocument } from './page.js';
export { viewClient } from './client.js';
export { VIEW_CSS } from './style.js';
export { composeWhy, type WhyParts } from './why.js';
