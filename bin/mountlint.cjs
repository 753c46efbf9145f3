#!/usr/bin/env node
'use strict';
const { setFlagsFromString } = require('node:v8');
const { V8_FLAGS, loadCli } = require('./load-cli.cjs');

setFlagsFromString(process.env.FL || V8_FLAGS);
if (process.env.EARLY) {
  const fs = require('fs');
  globalThis.__grammarBytes = fs.readFileSync(__dirname + '/../node_modules/tree-sitter-bash/tree-sitter-bash.wasm');
  const c0=performance.now(); globalThis.__grammar = WebAssembly.compile(globalThis.__grammarBytes); globalThis.__grammar.then(()=>process.stderr.write('compiled at '+performance.now().toFixed(1)+' started '+c0.toFixed(1)+'\n'));
  globalThis.__runtimeBytes = fs.readFileSync(__dirname + '/../node_modules/web-tree-sitter/tree-sitter.wasm');
  globalThis.__runtime = WebAssembly.compile(globalThis.__runtimeBytes);
}
const { run } = loadCli().exports;

run(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  isTTY: Boolean(process.stdout.isTTY),
  env: process.env,
}).then((code) => {
  process.exitCode = code;
});
