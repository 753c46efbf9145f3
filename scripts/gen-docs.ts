/** `npm run docs`: writes docs/rules/ from the rules' metadata, docs/errors.md from the failure signatures and the knowledge, and the configuration's JSON Schema. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepare } from '../src/engine/index.js';
import { configSchemaText } from './config-schema.js';
import { errorsPage } from './errors-doc.js';
import { allRuleDocs } from './rule-docs.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
await prepare();
for (const [name, text] of allRuleDocs()) writeFileSync(join(root, 'docs/rules', name), text);
console.log('docs/rules written');
writeFileSync(join(root, 'docs/errors.md'), errorsPage());
console.log('docs/errors.md written');
mkdirSync(join(root, 'schema'), { recursive: true });
writeFileSync(join(root, 'schema/mountlint.schema.json'), configSchemaText());
console.log('schema/mountlint.schema.json written');
