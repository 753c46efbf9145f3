/**
 * What the knowledge layer needs to know about a step: its variables, its
 * user (with uid, gid and HOME where they can be known) and its base image.
 *
 * HOME is what runc sets when the environment has none: the home of the
 * user's passwd entry, or "/" when the user has no entry (RUNC-HOME). The
 * entries are the base image's known accounts and those the Dockerfile
 * creates (useradd, adduser) in earlier RUNs of the stage's FROM chain. On an
 * image whose accounts are unknown, a user the file does not create has an
 * unknown HOME: no path is built from it.
 */
import { accountsCreatedBy, configSetting, imageKnowledge, type Account, type Group, type StepContext } from '../knowledge/index.js';
import type { DispatchedStage, Step, StageNode } from '../model/index.js';
import type { RuleContext } from './types.js';

/** What the helpers about one step need: its commands, and the build model when there is one. */
export type StepQueries = Pick<RuleContext, 'invocations'> & Partial<Pick<RuleContext, 'model'>>;

/** The image at the root of a stage's FROM chain. */
/**
 * The image at the root of a dispatched stage's FROM chain, following a named
 * context that links to another build of the request to that build's root.
 */
export function baseImageOf(stage: DispatchedStage): string {
  let s = stage;
  for (let guard = 0; s.imageFrom && guard < 100; guard++) s = s.imageFrom;
  return rootImage(s.node);
}

export function rootImage(node: StageNode): string {
  let n = node;
  for (let guard = 0; n.baseStage && guard < 100; guard++) n = n.baseStage;
  return n.baseName;
}

const contexts = new WeakMap<Step, StepContext>();

export function stepContext(context: StepQueries, step: Step): StepContext {
  let ctx = contexts.get(step);
  if (!ctx) {
    const baseImage = baseImageOf(step.stage);
    const before = stateBefore(context, step);
    ctx = { env: step.env, user: step.user, baseImage, unknownVariable: step.stage.unknownVariable, settings: before.settings, ...resolveUser(step.user, before, baseImage) };
    const home = step.env.get('HOME');
    if (home !== undefined) ctx.home = home;
    contexts.set(step, ctx);
  }
  return ctx;
}

interface Accounts {
  accounts: Account[];
  groups: Group[];
}

/** What one RUN of a stage leaves for the steps after it: accounts, groups, tool settings. */
interface StageEvent {
  /** The RUN's step id (ids grow in dispatch order). */
  id: number;
  instruction: unknown;
  accounts: Account[];
  groups: Group[];
  settings: Array<[string, string]>;
}

/** Per dispatched stage, its RUNs that create accounts or settings: found once, so each step's look back is linear in those few. */
const eventsOfStage = new WeakMap<DispatchedStage, StageEvent[]>();

function stageEvents(context: StepQueries, stage: DispatchedStage): StageEvent[] {
  let events = eventsOfStage.get(stage);
  if (!events) {
    events = [];
    stage.steps.forEach((s) => {
      if (s.instruction.kind !== 'run') return;
      const event: StageEvent = { id: s.id, instruction: s.instruction, accounts: [], groups: [], settings: [] };
      for (const inv of context.invocations(s)) {
        const made = accountsCreatedBy(inv);
        event.accounts.push(...made.accounts);
        event.groups.push(...made.groups);
        const setting = configSetting(inv);
        if (setting) event.settings.push(setting);
      }
      if (event.accounts.length || event.groups.length || event.settings.length) events!.push(event);
    });
    eventsOfStage.set(stage, events);
  }
  return events;
}

/** Accounts, groups and tool settings made by RUNs of the step's FROM chain that come before it. */
function stateBefore(context: StepQueries, step: Step): Accounts & { settings: Record<string, string> } {
  const out = { accounts: [] as Account[], groups: [] as Group[], settings: {} as Record<string, string> };
  for (const stage of chainOf(context, step.stage)) {
    for (const e of stageEvents(context, stage)) {
      if (stage === step.stage && (e.id >= step.id || e.instruction === step.instruction)) break;
      out.accounts.push(...e.accounts);
      out.groups.push(...e.groups);
      for (const [k, v] of e.settings) out.settings[k] = v;
    }
  }
  return out;
}

/** The dispatched stages of a stage's FROM chain, base first, on the same platform. */
function chainOf(context: StepQueries, stage: DispatchedStage): DispatchedStage[] {
  const build = context.model?.builds.find((b) => b.dispatched[stage.node.index] === stage);
  const chain: DispatchedStage[] = [];
  for (let n: StageNode | undefined = stage.node; n && chain.length < 100; n = n.baseStage) chain.unshift(build ? build.dispatched[n.index] : stage);
  return build ? chain : [stage];
}

/** uid, gid and HOME of `USER name[:group]` / `USER uid[:gid]`. */
function resolveUser(user: string, made: Accounts, baseImage: string): Pick<StepContext, 'uid' | 'gid' | 'home'> {
  const [name, group] = user.split(':');
  const image = imageKnowledge(baseImage);
  const numeric = /^\d+$/.test(name);
  if (name === '' || name === 'root' || name === '0') return { uid: 0, gid: groupId(group ?? '0', made, image?.users) ?? 0, home: '/root' };
  // Later entries win, the file's over the image's.
  const account =
    [...made.accounts].reverse().find((a) => a.name === name || (numeric && a.uid === Number(name))) ??
    Object.entries(image?.users ?? {})
      .map(([n, u]): Account => ({ name: n, uid: u.uid, group: u.gid, home: u.home }))
      .find((a) => a.name === name || (numeric && a.uid === Number(name)));
  const uid = account?.uid ?? (numeric ? Number(name) : undefined);
  const primary = account?.group === account?.name && account ? groupId(account.name, made, image?.users) ?? uid : account?.group;
  const gid = group !== undefined ? groupId(group, made, image?.users) : typeof primary === 'number' ? primary : primary !== undefined ? groupId(primary, made, image?.users) : numeric ? 0 : undefined;
  // Without an entry runc sets HOME to "/" — known only where the image's accounts are.
  const home = account?.home ?? (numeric && image ? '/' : undefined);
  return { uid, gid, home };
}

function groupId(group: string, made: Accounts, imageUsers: Record<string, { gid: number }> | undefined): number | undefined {
  if (/^\d+$/.test(group)) return Number(group);
  if (group === 'root') return 0;
  const g = [...made.groups].reverse().find((x) => x.name === group);
  if (g?.gid !== undefined) return g.gid;
  return imageUsers?.[group]?.gid;
}
