/**
 * A cache mount's identity, as BuildKit derives it (buildkit-semantics §2.1–2.5):
 * the id is the namespace + "/" + (id= as expanded, not cleaned; or the
 * cleaned raw target); `from=` or uid/gid/mode (without source=) add a base
 * snapshot to the key, so they get separate directories. Platform, sharing,
 * readonly and source= are not part of it.
 */
import type { Mount } from '../instructions/index.js';
import { cleanPath } from './paths.js';
import type { CacheKey } from './steps.js';

/** fromVertex: the final vertex of the from= stage or image ('' when no from=). */
export function cacheKey(mount: Mount, namespace: string, fromVertex: string): CacheKey {
  const name = mount.id !== '' ? mount.id : cleanPath(mount.target);
  const id = namespace + '/' + name;
  const hasPermissions = mount.uid !== undefined || mount.gid !== undefined || mount.mode !== undefined;
  let base: string | undefined;
  if (mount.source === '' && hasPermissions) {
    const mode = (mount.mode ?? 0o755).toString(8);
    base = `mkdir(uid=${mount.uid ?? 0},gid=${mount.gid ?? 0},mode=${mode}) on ${fromVertex || 'scratch'}`;
  } else if (fromVertex) {
    base = fromVertex;
  }
  return { id, name, namespace, base, key: base ? `${id}:${base}` : id };
}

/** A cache as the user wrote it: its id (or its target), and the namespace only when one is set. */
export function cacheLabel(cache: CacheKey): string {
  return `"${cache.name}"${cache.namespace ? ` (namespace "${cache.namespace}")` : ''}`;
}
