#!/usr/bin/env node
'use strict';
const { loadCli } = require('./load-cli.cjs');

const { run } = loadCli().exports;

run(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  isTTY: Boolean(process.stdout.isTTY),
  env: process.env,
}).then((code) => {
  process.exitCode = code;
});
