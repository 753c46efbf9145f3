#!/usr/bin/env node
'use strict';
const { loadCli, refreshCodeCache } = require('./load-cli.cjs');

// A reader that goes away (`mountlint … | head`) ends the run quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

const loaded = loadCli();
const { run, shellParserLoaded } = loaded.exports;

run(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stdoutBytes: (b) => process.stdout.write(b),
  stderr: (s) => process.stderr.write(s),
  isTTY: Boolean(process.stdout.isTTY),
  env: process.env,
}).then((code) => {
  process.exitCode = code;
  // A cache made after the shell parser set V8's flags would be rejected by the next run.
  if (!shellParserLoaded()) refreshCodeCache(loaded);
});
