import { invalidMountRule } from '../../src/rules/invalid-mount.js';
import { df, ruleTester } from '../helpers/rule-tester.js';

const run = (mount: string) => df('FROM debian:bookworm', `RUN ${mount} true`);

ruleTester(invalidMountRule, {
  valid: [
    { name: 'cache mount', code: run('--mount=type=cache,target=/var/cache/apt,sharing=locked,id=x,uid=1000,gid=1000,mode=0755') },
    { name: 'keys are case-insensitive, values of type and sharing too', code: run('--mount=TYPE=Cache,Target=/x,SHARING=Locked') },
    { name: 'tmpfs with size after type', code: run('--mount=type=tmpfs,target=/t,size=64m') },
    { name: 'secret with required', code: run('--mount=type=secret,id=npmrc,required') },
    { name: 'bind defaults (no type)', code: run('--mount=target=/src,source=.,rw') },
    { name: 'quoted CSV field with a comma', code: run(`'--mount=type=bind,"source=a,b",target=/x'`.replace(/^'|'$/g, '')).replace('RUN --mount=type=bind,"source=a,b",target=/x', `RUN --mount=type=bind,\\"source=a,b\\",target=/x`) },
    { name: 'invalid mount in an unreachable stage is only a warning, not here', code: df('FROM debian:bookworm AS a', 'RUN --mount=type=cache,target=/x true') },
    { name: 'from with a trailing $ is accepted', code: run('--mount=type=bind,from=img$,target=/x') },
  ],
  invalid: [
    { name: 'space after a comma (the flag word ends)', code: run('--mount=type=cache, target=/x'), errors: [{ messageId: 'buildkit', line: 2, message: ["invalid field '' must be a key=value pair"] }] },
    { name: 'misspelt key with suggestion', code: run('--mount=type=cache,taget=/x'), errors: [{ messageId: 'buildkit', line: 2, column: 24, message: ["unexpected key 'taget' in 'taget=/x' (did you mean target?)"] }] },
    { name: 'typ → type', code: run('--mount=typ=cache,target=/x'), errors: [{ messageId: 'buildkit', line: 2, message: ["unexpected key 'typ' in 'typ=cache' (did you mean type?)"] }] },
    { name: 'unknown type with suggestion', code: run('--mount=type=tmp,target=/x'), errors: [{ messageId: 'buildkit', line: 2, message: ['unsupported mount type "tmp" (did you mean tmpfs?)'] }] },
    { name: 'unknown sharing', code: run('--mount=type=cache,target=/x,sharing=lock'), errors: [{ messageId: 'buildkit', line: 2, message: ['unsupported sharing value "lock" (did you mean locked?)'] }] },
    { name: 'size before type', code: run('--mount=size=1m,type=tmpfs,target=/x'), errors: [{ messageId: 'buildkit', line: 2, message: ["unexpected key 'size' for mount type 'bind'"] }] },
    { name: 'required on a cache', code: run('--mount=type=cache,target=/x,required'), errors: [{ messageId: 'buildkit', line: 2, message: ["unexpected key 'required' for mount type 'cache'"] }] },
    { name: 'uid on a bind', code: run('--mount=type=bind,target=/x,uid=1'), errors: [{ messageId: 'buildkit', line: 2, message: ['uid not allowed for "bind" type mounts'] }] },
    { name: 'mode is octal', code: run('--mount=type=cache,target=/x,mode=0789'), errors: [{ messageId: 'buildkit', line: 2, message: ['invalid value 0789 for mode'] }] },
    { name: 'uid is a number', code: run('--mount=type=cache,target=/x,uid=root'), errors: [{ messageId: 'buildkit', line: 2, message: ['invalid value root for uid'] }] },
    { name: 'readonly needs a bool', code: run('--mount=type=cache,target=/x,ro=maybe'), errors: [{ messageId: 'buildkit', line: 2, message: ['invalid value for ro: maybe'] }] },
    { name: 'sharing on a bind', code: run('--mount=type=bind,target=/x,sharing=locked'), errors: [{ messageId: 'buildkit', line: 2, message: ['invalid cache sharing set for bind mount'] }] },
    { name: 'secret with from', code: run('--mount=type=secret,id=a,from=x'), errors: [{ messageId: 'buildkit', line: 2, message: ['secret mount should not have a from'] }] },
    { name: 'secret without id or target', code: run('--mount=type=secret'), errors: [{ messageId: 'buildkit', line: 2, message: ['invalid secret mount. one of source, target required'] }] },
    { name: 'empty value', code: run('--mount='), errors: [{ messageId: 'buildkit', line: 2, message: ['failed to parse csv mounts: EOF'] }] },
    { name: 'bare quote', code: run('--mount=type=cache,target=/a\\"b'), errors: [{ messageId: 'buildkit', line: 2, message: ['failed to parse csv mounts: parse error on line 1, column 21: bare " in non-quoted-field'] }] },
    { name: 'from with a variable', code: run('--mount=type=bind,from=$X,target=/x'), errors: [{ messageId: 'buildkit', line: 2, message: ["'from' doesn't support variable expansion, define alias stage instead"] }] },
    { name: 'mount from a later stage', code: df('FROM debian:bookworm AS a', 'RUN --mount=from=b,target=/x true', 'FROM debian:bookworm AS b'), options: { target: 'a' }, errors: [{ messageId: 'buildkit', line: 2, message: ['cannot mount from stage "b" to "/x", stage needs to be defined before current command'] }] },
    { name: 'empty target under WORKDIR /', code: run('--mount=type=cache,id=x'), errors: [{ messageId: 'buildkit', line: 2, message: ['invalid mount target "/"'] }] },
    { name: 'unreachable stage: a warning', code: df('FROM debian:bookworm AS a', 'RUN --mount=type=cache,taget=/x true', 'FROM debian:bookworm AS b'), errors: [{ messageId: 'buildkit', line: 2, severity: 'warning', message: ['did you mean target?', 'not reported by BuildKit'] }] },
    { name: 'continuation inside the flag (oracle h27)', code: '# escape=`\nFROM debian:bookworm\nRUN --mount=type=cache,`\n    target=/var/lib/apt `\n    apt-get update\n', errors: [{ messageId: 'buildkit', line: 3, message: ["invalid field '' must be a key=value pair"] }] },
    { name: 'ssh with source', code: run('--mount=type=ssh,source=/x'), errors: [{ messageId: 'buildkit', line: 2, message: ['ssh does not support source'] }] },
    { name: 'expansion error in a value', code: run('--mount=type=cache,target=${X:?unset}'), errors: [{ messageId: 'buildkit', line: 2, message: ["X: unset"] }] },
  ],
});
