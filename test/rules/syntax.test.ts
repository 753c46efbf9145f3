import { syntaxRule } from '../../src/rules/syntax.js';
import { df, ruleTester } from '../helpers/rule-tester.js';

ruleTester(syntaxRule, {
  valid: [
    { name: 'a plain file', code: df('FROM debian:bookworm', 'RUN true') },
    { name: 'heredoc', code: df('FROM debian:bookworm', 'RUN <<EOF', 'echo hi', 'EOF') },
    { name: 'FROM needing a build arg, skipped by check directive', code: df('# check=skip=InvalidDefaultArgInFrom', 'ARG BASE', 'FROM ${BASE}') },
    { name: 'FROM needing a build arg that is given', code: df('ARG BASE', 'FROM ${BASE}'), options: { buildArgs: { BASE: 'debian' } } },
  ],
  invalid: [
    { name: 'unknown instruction with suggestion', code: df('FROM debian:bookworm', 'RUNN true'), errors: [{ messageId: 'buildkit', line: 2, column: 1, message: ['unknown instruction: RUNN (did you mean RUN?)'] }] },
    { name: 'empty file', code: '', errors: [{ messageId: 'buildkit', line: 1, message: ['file with no instructions'] }] },
    { name: 'only comments', code: '# hello\n', errors: [{ messageId: 'buildkit', line: 2, message: ['file with no instructions'] }] },
    { name: 'unterminated heredoc', code: df('FROM debian:bookworm', 'RUN <<EOF', 'echo hi'), errors: [{ messageId: 'buildkit', line: 2, message: ['unterminated heredoc'] }] },
    { name: 'instruction before FROM', code: df('RUN true', 'FROM debian:bookworm'), errors: [{ messageId: 'buildkit', line: 1, message: ['no build stage in current context'] }] },
    { name: 'unknown RUN flag with suggestion', code: df('FROM debian:bookworm', 'RUN --mont=type=cache,target=/x true'), errors: [{ messageId: 'buildkit', line: 2, column: 5, message: ['unknown flag: --mont (did you mean mount?)'] }] },
    { name: 'flag without value', code: df('FROM debian:bookworm', 'RUN --mount true'), errors: [{ messageId: 'buildkit', line: 2, message: ['missing a value on flag: --mount'] }] },
    { name: 'duplicate single flag', code: df('FROM debian:bookworm', 'RUN --network=host --network=none true'), errors: [{ messageId: 'buildkit', line: 2, message: ['duplicate flag specified: --network'] }] },
    { name: 'bad stage name', code: df('FROM debian:bookworm AS 1st'), errors: [{ messageId: 'buildkit', line: 1, message: ['invalid name for build stage: "1st"'] }] },
    { name: 'FROM with two arguments', code: df('FROM debian:bookworm builder'), errors: [{ messageId: 'buildkit', line: 1, message: ['FROM requires either one or three arguments'] }] },
    { name: 'nested JSON', code: df('FROM debian:bookworm', 'CMD [["a"]]'), errors: [{ messageId: 'buildkit', line: 2, message: ['arrays must be comprised of strings only'] }] },
    { name: 'ENV without value', code: df('FROM debian:bookworm', 'ENV PATH'), errors: [{ messageId: 'buildkit', line: 2, message: ['ENV must have two arguments'] }] },
    { name: 'COPY --from a later stage', code: df('FROM debian:bookworm AS a', 'COPY --from=b /x /x', 'FROM debian:bookworm AS b'), errors: [{ messageId: 'buildkit', line: 2, message: ['cannot copy from stage "b", it needs to be defined before current stage "a"'] }] },
    { name: 'FROM needing a build arg: a warning', code: df('ARG BASE', 'FROM ${BASE}'), errors: [{ messageId: 'buildkit', line: 2, column: 6, severity: 'warning', message: ['base name (${BASE}) should not be blank'] }] },
    { name: 'duplicate directive', code: df('# escape=`', '# escape=\\', 'FROM x'), errors: [{ messageId: 'buildkit', line: 2, message: ['only one escape parser directive can be used'] }] },
    { name: 'invalid escape token', code: df('# escape=x', 'FROM x'), errors: [{ messageId: 'buildkit', line: 1, message: ["invalid escape token 'x'"] }] },
  ],
});
