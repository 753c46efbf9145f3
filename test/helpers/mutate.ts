/** Real-world Dockerfiles cut and spliced at seeded random places: the robustness tests' inputs (library and language server). */
import { random } from './random.js';

const PIECES = ['\\\n', '"', "'", '`', '${', '}', '--mount=', ',', '=', '<<EOF\n', '\n', 'FROM ', ' AS ', '[', ']', '$', '\r\n', '#', ' ', 'type=cache,target=/var/cache/apt '];

/** `count` mutations of `original`, each four random splices; `rand` continues the same seeded sequence. */
export function* mutations(name: string, original: string, count: number): Generator<{ text: string; rand: () => number }> {
  const rand = random(name.length * 7919 + original.length);
  for (let i = 0; i < count; i++) {
    let text = original;
    for (let k = 0; k < 4; k++) {
      const at = Math.floor(rand() * (text.length + 1));
      const cut = Math.floor(rand() * 8);
      text = text.slice(0, at) + PIECES[Math.floor(rand() * PIECES.length)] + text.slice(at + cut);
    }
    yield { text, rand };
  }
}
