/**
 * Hovers that show the build: on a `--mount=type=cache`, the cache BuildKit
 * gives it and everyone else using that cache; on a stage name, who needs the
 * stage and what runs beside it. The facts come from the report layer's
 * position queries; this file only writes them as Markdown.
 */
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver';
import { cacheMountFacts, stageFacts, subjectAt, type CacheMountFacts, type StageFacts } from '../report/index.js';
import { lspRange } from './diagnostics.js';
import type { LintedDocument } from './linting.js';

export function hover(linted: LintedDocument, position: Position): Hover | null {
  const result = linted.result;
  const subject = subjectAt(result, linted.doc.offsetAt(position));
  if (!subject) return null;
  let markdown: string | undefined;
  if (subject.kind === 'cache-mount') {
    const facts = cacheMountFacts(result, subject.spec, subject.instruction);
    markdown = facts ? cacheMarkdown(facts, result.model?.options.platforms.length ?? 1) : 'Cache mount: the file does not build, so the cache BuildKit would give it is not known.';
  } else {
    const facts = stageFacts(result, subject.reference.stage);
    markdown = facts ? stageMarkdown(facts) : undefined;
  }
  if (!markdown) return null;
  return { contents: { kind: MarkupKind.Markdown, value: markdown }, range: lspRange(linted.doc, subject.range) };
}

const code = (s: string) => '`' + s.replace(/`/g, "'") + '`';
const DEFAULT_MODE = 0o755;

export function cacheMarkdown(f: CacheMountFacts, platformCount: number): string {
  const lines: string[] = [];
  for (const id of f.identities) {
    const where = platformCount > 1 ? ` on ${id.platforms.join(', ')}` : '';
    lines.push(`**Cache mount** ${code(id.target)}${where} — line ${f.line}, stage ${code(f.stage)}${f.built ? '' : ' (not built for this target)'}`, '');
    lines.push(`- **Cache key** ${code(id.key)}: BuildKit's id is the namespace, "/", then ${id.explicitId ? 'the `id=` value' : 'the target path (no `id=`)'}${id.base ? `, keyed also by what it starts from (${id.from ? `from=${id.from}` : 'the uid/gid/mode it is created with'})` : ''}.`);
    lines.push(
      f.namespace === ''
        ? '- **Namespace:** none (`BUILDKIT_CACHE_MOUNT_NS` is not set), so every build on this builder that mounts this id shares the directory.'
        : `- **Namespace:** ${code(f.namespace)} (from \`BUILDKIT_CACHE_MOUNT_NS\`).`,
    );
    lines.push(`- **Sharing:** ${code(`sharing=${id.sharing}`)} — ${SHARING[id.sharing]}`);
    const owner = id.uid === undefined && id.gid === undefined && id.mode === undefined ? " (BuildKit's defaults)" : '';
    lines.push(`- **Owner and mode:** uid=${id.uid ?? 0} gid=${id.gid ?? 0} mode=0${(id.mode ?? DEFAULT_MODE).toString(8)}${owner}${id.source ? `; source=${id.source}` : ''}`);
    lines.push('');
  }
  if (f.tools.length) {
    lines.push('**Used by**');
    for (const t of f.tools) {
      const verdict = !t.collision ? 'safe to share' : t.collision.severity === 'error' ? 'fails or corrupts when shared' : 'waits or may break when shared';
      lines.push(`- ${code(t.program)} (${t.tool}) at ${code(t.path)}: ${verdict} — ${t.collision?.reason ?? t.behaviour}`);
    }
  } else {
    lines.push('**Used by:** no known tool in this RUN.');
  }
  lines.push('');
  if (f.others.length === 0) {
    lines.push('**No other step uses this cache.**');
  } else {
    lines.push('**Other steps using this cache**');
    for (const o of f.others) {
      const platforms = platformCount > 1 ? ` on ${o.platforms.join(', ')}` : '';
      const when = !o.built ? 'not built for this target' : o.concurrent ? `${together(o.sharing, f.identities)}: ${o.concurrent}` : 'never at the same time (one waits for the other)';
      lines.push(`- line ${o.line}, stage ${code(o.stage)}${platforms}, ${code(`sharing=${o.sharing}`)} — ${when}`);
    }
  }
  return lines.join('\n').trim();
}

/** What "may run at the same time" means for the directory, given both mounts' sharing. */
function together(other: CacheMountFacts['identities'][number]['sharing'], mine: CacheMountFacts['identities']): string {
  const modes = new Set([other, ...mine.map((i) => i.sharing)]);
  if (modes.size === 1 && modes.has('shared')) return '**may run at the same time, in the same directory**';
  if (modes.has('shared') && modes.size > 1) return '**may run at the same time**, and mixed sharing modes can give them different directories';
  if (modes.has('locked') && !modes.has('private')) return '**may be scheduled at the same time**; `sharing=locked` makes one wait for the other';
  return '**may run at the same time**; `sharing=private` gives the later one its own directory';
}

const SHARING = {
  shared: 'steps that run at the same time use the same directory at once.',
  locked: 'a step waits until no other step has the directory.',
  private: 'a step that finds the directory in use gets a new, empty one.',
};

export function stageMarkdown(f: StageFacts): string {
  const lines = [`**Stage** ${code(f.name)} (stage ${f.index}) — FROM ${code(f.base)}`, ''];
  if (f.isTarget) lines.push(`- **Built:** yes, it is the target.`);
  else if (f.built) lines.push(`- **Built:** yes, for target ${code(f.target)}: ${f.neededBecause}.`);
  else lines.push(`- **Built:** no, target ${code(f.target)} does not need it.`);
  if (f.usedBy.length) {
    lines.push('- **Needed by:**');
    for (const u of f.usedBy) lines.push(`  - stage ${code(u.stage)}: ${code(u.how)}, line ${u.line}`);
  } else {
    lines.push('- **Needed by:** no other stage.');
  }
  if (!f.built) return lines.join('\n');
  if (f.parallel.length) {
    lines.push('- **May run at the same time as:**');
    for (const p of f.parallel) lines.push(`  - stage ${code(p.stage)}: RUN on line${p.lines.length > 1 ? 's' : ''} ${p.lines.join(', ')}`);
  } else {
    lines.push('- **May run at the same time as:** nothing (every RUN of it waits for, or is waited for by, the others).');
  }
  return lines.join('\n');
}
