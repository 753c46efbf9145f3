export { applyEdits, applyFixes, type TextEdit } from './text-edit.js';
export { setMountOption } from './mount-options.js';
