/**
 * Typed messages (ESLint's `meta.messages`, Ruff's violations): a rule
 * reports a message id and its data; the words live in the rule's metadata,
 * and this module is the one place they become text. Tests assert the id and
 * the data, and the docs list every message a rule can give.
 */

/** The values a message's `{name}` placeholders take. */
export type MessageData = Readonly<Record<string, string | number>>;

/**
 * Clauses the engine adds to a finding on one step, whatever the rule
 * (see reportOnStep): they go before the message's final full stop.
 */
export const STEP_NOTES = {
  mergedStep: ' (this step runs once: BuildKit merges it with the identical step on line {lines})',
  assumedEmptyArg: ' (assuming {name} is empty, as BuildKit expands it: ARG {name} has no default; pass --build-arg)',
  assumedEmptyArgs: ' (assuming {names} are empty, as BuildKit expands them: {args} have no default; pass --build-arg)',
} as const;

export type StepNoteId = keyof typeof STEP_NOTES;
export interface StepNote {
  noteId: StepNoteId;
  data: MessageData;
}

/** What a rule reports in place of text: which of its messages, with what data, and any step notes. */
export interface MessageRef {
  messageId: string;
  data?: MessageData;
  notes?: readonly StepNote[];
}

/**
 * The text of a message. Strict, because a typo here is a bug a test should
 * see: an unknown id, a placeholder without data, or data no placeholder
 * uses all throw.
 */
export function renderMessage(meta: { id: string; messages: Readonly<Record<string, string>> }, ref: MessageRef): string {
  const template = Object.prototype.hasOwnProperty.call(meta.messages, ref.messageId) ? meta.messages[ref.messageId] : undefined;
  if (template === undefined) throw new Error(`rule ${meta.id} has no message "${ref.messageId}"`);
  const text = fill(template, ref.data ?? {}, `${meta.id}/${ref.messageId}`);
  if (!ref.notes?.length) return text;
  const notes = ref.notes.map((n) => fill(STEP_NOTES[n.noteId], n.data, `step note ${n.noteId}`)).join('');
  return `${text.replace(/\.$/, '')}${notes}.`;
}

/** The names a template's placeholders use, in order. */
export function placeholders(template: string): string[] {
  return [...template.matchAll(/\{([A-Za-z][A-Za-z0-9]*)\}/g)].map((m) => m[1]);
}

function fill(template: string, data: MessageData, what: string): string {
  const used = new Set<string>();
  const text = template.replace(/\{([A-Za-z][A-Za-z0-9]*)\}/g, (_, name: string) => {
    const value = data[name];
    if (value === undefined) throw new Error(`message ${what} needs data "${name}"`);
    used.add(name);
    return String(value);
  });
  const unused = Object.keys(data).filter((k) => !used.has(k));
  if (unused.length) throw new Error(`message ${what} has no placeholder for ${unused.map((k) => `"${k}"`).join(', ')}`);
  return text;
}
