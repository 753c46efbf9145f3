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
