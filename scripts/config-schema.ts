/** The published JSON Schema of `.mountlint.yaml` (schema/mountlint.schema.json), as `npm run docs` writes it. */
import { configSchema } from '../src/config/index.js';

export function configSchemaText(): string {
  return JSON.stringify(configSchema(), null, 2) + '\n';
}
