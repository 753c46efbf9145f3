/** `npm run docs`: writes docs/rules/ from the rules' metadata. */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepare } from '../src/engine/index.js';
import { allRuleDocs } from './rule-docs.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
await prepare();
for (const [name, text] of allRuleDocs()) writeFileSync(join(root, 'docs/rules', name), text);
console.log('docs/rules written');
