/**
 * Instruction nodes → typed instructions grouped into stages, with the checks
 * BuildKit's instructions.Parse makes (flags, argument counts, stage names,
 * `--mount` pass 1). Errors are collected, not thrown, so that every problem
 * in a file is reported at once.
 */
import { AnalysisLimitError, type ArgNode, type InstructionNode, type ParsedDockerfile } from '../syntax/index.js';
import { INSTRUCTION_FLAGS, parseFlags, type ParsedFlags } from './bflags.js';
import { InstructionError } from './errors.js';
import { parseMountSpec } from './mount.js';
import { withSuggestion } from './suggest.js';
import type { ArgInstruction, Instruction, StageDef } from './types.js';

export interface DockerfileInstructions {
  file: ParsedDockerfile;
  metaArgs: ArgInstruction[];
  stages: StageDef[];
  errors: InstructionError[];
}

const INSTRUCTION_NAMES = [
  'add', 'arg', 'cmd', 'copy', 'entrypoint', 'env', 'expose', 'from', 'healthcheck', 'label', 'maintainer',
  'onbuild', 'run', 'shell', 'stopsignal', 'user', 'volume', 'workdir',
];
const VALID_STAGE_NAME = /^[a-z][a-z0-9-_.]*$/;

export function parseInstructions(file: ParsedDockerfile): DockerfileInstructions {
  const result: DockerfileInstructions = { file, metaArgs: [], stages: [], errors: [] };
  for (const node of file.instructions) {
    let instruction: Instruction;
    try {
      instruction = parseInstruction(node);
    } catch (err) {
      if (err instanceof AnalysisLimitError) err.range ??= node.range;
      if (!(err instanceof InstructionError)) throw err;
      result.errors.push(err);
      continue;
    }
    if (instruction.kind === 'from') {
      result.stages.push({ index: result.stages.length, from: instruction, name: instruction.name, instructions: [] });
    } else if (result.stages.length === 0) {
      if (instruction.kind === 'arg') result.metaArgs.push(instruction);
      else result.errors.push(new InstructionError('no build stage in current context', node.range));
    } else {
      result.stages[result.stages.length - 1].instructions.push(instruction);
    }
  }
  return result;
}

export function parseInstruction(node: InstructionNode): Instruction {
  const keyword = node.keyword.toLowerCase();
  if (!INSTRUCTION_NAMES.includes(keyword)) {
    throw new InstructionError(withSuggestion(`unknown instruction: ${node.keyword}`, node.keyword, INSTRUCTION_NAMES.map((n) => n.toUpperCase()), false), node.keywordRange);
  }
  const flags = parseFlags(node.flags, INSTRUCTION_FLAGS[keyword] ?? {});
  const args = node.args;
  switch (keyword) {
    case 'from':
      return parseFrom(node, flags, args);
    case 'arg': {
      if (args.length === 0) throw new InstructionError('ARG requires at least one argument', node.range);
      const pairs = args.map((a) => {
        const eq = a.value.indexOf('=');
        if (eq === 0) throw new InstructionError('ARG names can not be blank', a.range);
        return eq < 0 ? { key: a.value, range: a.range } : { key: a.value.slice(0, eq), value: a.value.slice(eq + 1), range: a.range };
      });
      return { kind: 'arg', node, pairs };
    }
    case 'env': {
      if (args.length === 0) throw new InstructionError('ENV requires at least one argument', node.range);
      const pairs = [];
      for (let i = 0; i + 1 < args.length; i += 3) {
        if (args[i].value === '') throw new InstructionError('ENV names can not be blank', args[i].range);
        pairs.push({ key: args[i].value, value: args[i + 1].value, range: { start: args[i].range.start, end: args[i + 1].range.end } });
      }
      return { kind: 'env', node, pairs };
    }
    case 'run':
      return {
        kind: 'run',
        node,
        mounts: flags.all('mount').map((f) => parseMountSpec(f.word, f.value)),
        network: flags.get('network'),
        security: flags.get('security'),
        json: node.json,
        execArgs: node.json ? args : [],
        shellText: node.rest,
        heredocs: node.heredocs,
      };
    case 'copy':
    case 'add':
      if (args.length + node.heredocs.length < 2) {
        throw new InstructionError(
          `${keyword.toUpperCase()} requires at least two arguments, but only one was provided. Destination could not be determined`,
          node.range,
        );
      }
      return { kind: keyword, node, from: flags.get('from'), link: flags.bool('link') };
    case 'workdir':
      if (args.length !== 1) throw new InstructionError('WORKDIR requires exactly one argument', node.range);
      return { kind: 'workdir', node, path: args[0].value };
    case 'user':
      if (args.length !== 1) throw new InstructionError('USER requires exactly one argument', node.range);
      return { kind: 'user', node, user: args[0].value };
    case 'shell':
      if (args.length === 0) throw new InstructionError('SHELL requires at least one argument', node.range);
      if (!node.json) throw new InstructionError(`SHELL requires the arguments to be in JSON form`, node.range);
      return { kind: 'shell', node, shell: args.map((a) => a.value) };
    case 'onbuild': {
      if (!node.onbuild) throw new InstructionError('ONBUILD requires at least one argument', node.range);
      const trigger = node.onbuild.keyword.toUpperCase();
      if (trigger === 'ONBUILD') throw new InstructionError('Chaining ONBUILD via `ONBUILD ONBUILD` isn\'t allowed', node.range);
      if (trigger === 'FROM' || trigger === 'MAINTAINER') throw new InstructionError(`${trigger} isn't allowed as an ONBUILD trigger`, node.range);
      parseInstruction(node.onbuild);
      return { kind: 'other', node };
    }
    default:
      return { kind: 'other', node };
  }
}

function parseFrom(node: InstructionNode, flags: ParsedFlags, args: ArgNode[]): Instruction {
  if (args.length === 3 && args[1].value.toLowerCase() === 'as') {
    const name = args[2].value.toLowerCase();
    if (!VALID_STAGE_NAME.test(name)) {
      throw new InstructionError(
        `invalid name for build stage: "${args[2].value}", name can't start with a number or contain symbols`,
        args[2].range,
      );
    }
    return { kind: 'from', node, image: args[0], name, nameRange: args[2].range, platform: flags.get('platform') };
  }
  if (args.length !== 1) throw new InstructionError('FROM requires either one or three arguments', node.range);
  return { kind: 'from', node, image: args[0], platform: flags.get('platform') };
}
