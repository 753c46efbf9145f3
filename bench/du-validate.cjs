'use strict';
/**
 * dockerfile-utils' `validate` over every file of a folder in one process,
 * printing each finding as `file:line:column: message` (its CLI takes one
 * file per process). A bench peer for `npm run bench` (bench/cli.mjs).
 */
const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const { validate } = require('dockerfile-utils');

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

let out = '';
for (const file of process.argv.slice(2).flatMap((p) => walk(p))) {
  for (const d of validate(readFileSync(file, 'utf8'))) out += `${file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.message}\n`;
}
process.stdout.write(out);
