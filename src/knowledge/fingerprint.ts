/**
 * Which knowledge judged a report: counts of what the knowledge layer holds
 * and a short hash of all of it (tools, images, accounts, apt, evidence,
 * observed races), for `mountlint --version`. Two builds with the same hash
 * know the same things, whatever their package version says.
 */
import { createHash } from 'node:crypto';
import { ACCOUNT_PROGRAMS } from './accounts.js';
import { APT_DEFAULT_DIRS, APT_PROGRAMS, APT_SYMPTOMS } from './apt.js';
import { SOURCES } from './evidence.js';
import { IMAGES } from './images.js';
import { OBSERVED_RACES } from './observed.js';
import { PATH_HINTS, TOOL_FAMILY, TOOLS } from './tools.js';

export interface KnowledgeFingerprint {
  tools: number;
  images: number;
  sources: number;
  observedRaces: number;
  /** The first 12 hex digits of the SHA-256 of all of it, serialised (patterns and functions as their source text). */
  hash: string;
}

export function knowledgeFingerprint(): KnowledgeFingerprint {
  const all = { TOOLS, TOOL_FAMILY, PATH_HINTS, IMAGES, ACCOUNT_PROGRAMS, APT_PROGRAMS, APT_SYMPTOMS, APT_DEFAULT_DIRS, SOURCES, OBSERVED_RACES };
  const text = JSON.stringify(all, (_key, value: unknown) => (value instanceof RegExp || typeof value === 'function' ? String(value) : value instanceof Set || value instanceof Map ? [...value] : value));
  return { tools: TOOLS.length, images: IMAGES.length, sources: Object.keys(SOURCES).length, observedRaces: OBSERVED_RACES.length, hash: createHash('sha256').update(text).digest('hex').slice(0, 12) };
}
