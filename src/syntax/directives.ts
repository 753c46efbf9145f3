/**
 * Parser directives (`# escape=`, `# syntax=`, `# check=`): lines at the very
 * top of the file. The first line that is not one ends them, blank lines
 * included, as in BuildKit's DirectiveParser.
 */
import { DockerfileSyntaxError } from './errors.js';
import type { Directive } from './nodes.js';
import type { Range } from './source.js';
import { trimGoSpaceLeft } from './unicode.js';

const DIRECTIVE = /^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$/;
const KNOWN = new Set(['syntax', 'escape', 'check']);

export class DirectiveScanner {
  private done = false;
  private readonly seen = new Set<string>();
  readonly directives: Directive[] = [];

  /** Looks at one (already left-trimmed) line; returns the directive it holds, if any. */
  scan(line: string, range: Range): Directive | undefined {
    if (this.done) return undefined;
    if (!line.startsWith('#')) {
      this.done = true;
      return undefined;
    }
    const match = DIRECTIVE.exec(trimGoSpaceLeft(line.slice(1)));
    const name = match?.[1].toLowerCase();
    if (!match || !name || !KNOWN.has(name)) {
      this.done = true;
      return undefined;
    }
    if (this.seen.has(name)) throw new DockerfileSyntaxError(`only one ${name} parser directive can be used`, range);
    this.seen.add(name);
    const directive: Directive = { name: name as Directive['name'], value: match[2], range };
    this.directives.push(directive);
    return directive;
  }
}

/** What a Dockerfile frontend version supports, where it matters for the model. */
export interface FrontendFeatures {
  /** Here-documents (`RUN <<EOT`): Dockerfile 1.4, or 1.3-labs (BK-HEREDOC). */
  heredocs: boolean;
  /** Variables expanded in `--mount` values: Dockerfile 1.3 (buildkit-semantics §0). */
  mountExpansion: boolean;
}

/**
 * The features of the frontend a `# syntax=` directive names, when it is
 * docker/dockerfile (or -upstream) at a version that tells; undefined for
 * other frontends, digests and channels that follow the latest release.
 * `experimental` is the 2019 channel from before 1.2.
 */
export function frontendFeatures(syntax: string): FrontendFeatures | undefined {
  const m = /^(?:[\w.-]+(?::\d+)?\/)?docker\/dockerfile(?:-upstream)?(?::([\w.-]+))?(?:@.*)?$/.exec(syntax.trim());
  if (!m || m[1] === undefined) return undefined;
  const tag = m[1];
  if (tag === 'experimental') return { heredocs: false, mountExpansion: false };
  const v = /^(\d+)(?:\.(\d+))?(?:\.\d+)?(-labs)?$/.exec(tag);
  if (!v) return undefined; // latest, labs, master, …
  const [major, minor] = [Number(v[1]), v[2] === undefined ? Infinity : Number(v[2])];
  const atLeast = (mj: number, mn: number) => major > mj || (major === mj && minor >= mn);
  return { heredocs: atLeast(1, 4) || (v[3] !== undefined && atLeast(1, 3)), mountExpansion: atLeast(1, 3) };
}
