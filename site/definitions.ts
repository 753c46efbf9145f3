/**
 * A bake or compose file in the playground: its request linted as the CLI
 * lints it (src/builds, src/engine), with every build reading the one
 * Dockerfile of the editor (the playground has no other file).
 */
import { bakeRequest, composeRequest, DefinitionError, loadHclParser, readBakeFiles, requestMembers, type BuildRequest } from '../src/builds/index.js';
import { fixBuildSet, lintBuildSet, type LintOptions, type SetMember } from '../src/engine/index.js';
import { setFixVariants, viewOfBuilds, type ViewDocument } from '../src/report/index.js';
import type { FixStrategy } from '../src/rules/index.js';
import { SourceFile } from '../src/syntax/index.js';

export type DefinitionKind = 'compose' | 'bake';

export function kindOf(text: string): DefinitionKind {
  return /^\s*services\s*:/m.test(text) ? 'compose' : 'bake';
}

async function request(text: string): Promise<BuildRequest> {
  const kind = kindOf(text);
  const source = new SourceFile(kind === 'compose' ? 'compose.yaml' : 'docker-bake.hcl', text);
  if (kind === 'compose') return composeRequest([source], { env: {}, projectDir: '/project' });
  await loadHclParser();
  const project = readBakeFiles([source], { env: {}, cwd: '/project', localPlatform: 'linux/amd64' });
  return bakeRequest(project, [], [source]);
}

/** The request's members, every one building the editor's Dockerfile (one file, as several targets of one Dockerfile are). */
async function members(text: string, dockerfile: string): Promise<{ list: SetMember[]; why: string; label: string; notes: string[] }> {
  const r = await request(text);
  const notes: string[] = [];
  const { members: list } = requestMembers(r, notes, () => dockerfile);
  return { list: list.map((m) => ({ ...m, path: 'Dockerfile', text: dockerfile })), why: r.why, label: r.label, notes };
}

/** The document the view draws, or why there is none (`file:line:column: message`). */
export async function definitionDocument(text: string, dockerfile: string, options: LintOptions): Promise<{ doc?: ViewDocument; error?: string; races: number; diagnostics: number }> {
  try {
    const m = await members(text, dockerfile);
    if (!m.list.length) return { error: m.notes.join('\n') || 'the file defines no build', races: 0, diagnostics: 0 };
    const linted = lintBuildSet(m.list, options, m.why);
    const set = linted.set;
    if (!set) return { error: linted.memberErrors.map((e) => e.message).join('\n') || 'no build could be modelled', races: 0, diagnostics: 0 };
    const view = viewOfBuilds(set.members, set.steps, set.graph, m.label, m.label, set.why, linted.results);
    const diagnostics = linted.results.flatMap((r) => r.diagnostics);
    const fixes = setFixVariants(m.list, options, m.why, m.label, diagnostics);
    return { doc: { name: m.label, view, fixes, findings: view.findings }, races: diagnostics.filter((d) => d.ruleId === 'cache-race').length, diagnostics: diagnostics.length };
  } catch (err) {
    if (err instanceof DefinitionError) {
      const at = err.source.positionAt(err.range.start);
      return { error: `${err.source.path}:${at.line}:${at.column}: ${err.message}`, races: 0, diagnostics: 0 };
    }
    // What the playground cannot do (a bake function that needs the CLI), said as it is.
    return { error: err instanceof Error ? err.message : String(err), races: 0, diagnostics: 0 };
  }
}

/** The editor's Dockerfile after `--fix --fix-strategy S` of the whole request. */
export async function fixDefinition(text: string, dockerfile: string, options: LintOptions, strategy: FixStrategy | undefined): Promise<string> {
  const m = await members(text, dockerfile);
  return fixBuildSet(m.list, { ...options, fixStrategy: strategy }, m.why).outputs.get('Dockerfile') ?? dockerfile;
}
