export { parseDockerfile, type ParsedDockerfile, type ParseOptions } from './parser.js';
export { DockerfileSyntaxError } from './errors.js';
export { MappedText, MappedTextBuilder } from './mapped-text.js';
export { SourceFile, type Range, type Position } from './source.js';
export type { InstructionNode, FlagWord, ArgNode, Heredoc, Directive, ParseWarning } from './nodes.js';
export { dumpInstructions } from './dump.js';
export { processWord, processWords, emptyEnv, envFromRecord, WordLexError, type EnvLookup, type WordLexerOptions } from './word-lexer.js';
export { goQuote } from './go-quote.js';
export { parseWords } from './line-parsers.js';
