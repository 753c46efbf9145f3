import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { parseInstructions } from '../../src/instructions/index.js';
import { buildModel, BuildOptionError, cleanPath, relativeInside, type BuildOptions } from '../../src/model/index.js';
import { parseDockerfile } from '../../src/syntax/index.js';

/** Every image known, with an empty configuration, unless a test says otherwise. */
const model = (text: string, options?: BuildOptions) => buildModel(parseInstructions(parseDockerfile(text)), { imageConfig: () => ({ env: {} }), ...options });
const cacheKeys = (text: string, options?: BuildOptions) =>
  model(text, options).steps.flatMap((s) => s.mounts.filter((m) => m.cache).map((m) => m.cache!.key));

describe('paths', () => {
  const cases: Array<[string, string]> = [['/var/lib/apt/', '/var/lib/apt'], ['//a//b/./c/..', '/a/b'], ['', '.'], ['a/../..', '..'], ['/..', '/'], ['cache', 'cache']];
  for (const [input, expected] of cases) it(`cleanPath(${JSON.stringify(input)})`, () => assert.equal(cleanPath(input), expected));
  it('relativeInside', () => {
    assert.equal(relativeInside('/var/cache/apt', '/var/cache/apt/archives/lock'), 'archives/lock');
    assert.equal(relativeInside('/', '/x'), 'x');
    assert.equal(relativeInside('/var/cache/ap', '/var/cache/apt/x'), undefined);
  });
});

describe('cache keys (buildkit-semantics §2.1)', () => {
  const run = (mount: string) => `FROM debian\nRUN --mount=${mount} true\n`;
  it('default id is the cleaned raw target', () => assert.deepEqual(cacheKeys(run('type=cache,target=/var/lib/apt/')), ['//var/lib/apt']));
  it('explicit id is not cleaned', () => assert.deepEqual(cacheKeys(run('type=cache,target=/x,id=/y/')), ['//y/']));
  it('id=foo is /foo', () => assert.deepEqual(cacheKeys(run('type=cache,target=/x,id=foo')), ['/foo']));
  it('relative target keeps its raw text, whatever the WORKDIR', () =>
    assert.deepEqual(cacheKeys('FROM debian\nWORKDIR /app\nRUN --mount=type=cache,target=cache true\n'), ['/cache']));
  it('the namespace prefixes the id', () =>
    assert.deepEqual(cacheKeys(run('type=cache,target=/x'), { buildArgs: { BUILDKIT_CACHE_MOUNT_NS: 'ns1' } }), ['ns1//x']));
  it('uid/gid/mode add a base; defaults are equivalent', () => {
    const [a] = cacheKeys(run('type=cache,target=/x,uid=0'));
    const [b] = cacheKeys(run('type=cache,target=/x,mode=0755,gid=0'));
    assert.equal(a, b);
    assert.notEqual(a, '//x');
  });
  it('uid/gid/mode are ignored with source=', () => assert.deepEqual(cacheKeys(run('type=cache,target=/x,source=sub,uid=1000')), ['//x']));
  it('values are expanded with stage ARGs and ENV, not meta ARGs', () => {
    assert.deepEqual(cacheKeys('ARG M=meta\nFROM debian\nENV E=env\nARG A=arg\nRUN --mount=type=cache,target=/x,id=$M-$E-${A} true\n'), ['/-env-arg']);
  });
  it('build args override ARG defaults', () =>
    assert.deepEqual(cacheKeys('FROM debian\nARG A=x\nRUN --mount=type=cache,target=/$A true\n', { buildArgs: { A: 'y' } }), ['//y']));
  it('TARGETARCH needs ARG in the stage', () => {
    assert.deepEqual(cacheKeys('FROM debian\nRUN --mount=type=cache,target=/c,id=c-$TARGETARCH true\n'), ['/c-']);
    assert.deepEqual(cacheKeys('FROM debian\nARG TARGETARCH\nRUN --mount=type=cache,target=/c,id=c-$TARGETARCH true\n', { platforms: ['linux/arm64'] }), ['/c-arm64']);
  });
  it('from= makes a separate cache per source stage', () => {
    const keys = cacheKeys('FROM debian AS a\nRUN echo a\nFROM debian AS b\nRUN echo b\nFROM debian\nRUN --mount=type=cache,target=/x,from=a true\nRUN --mount=type=cache,target=/x,from=b true\n');
    assert.equal(keys.length, 2);
    assert.notEqual(keys[0], keys[1]);
  });
});

describe('stages, targets, reachability', () => {
  const text = 'ARG BASE=a\nFROM debian AS a\nRUN echo a\nFROM debian AS b\nRUN echo b\nFROM ${BASE} AS c\nRUN echo c\n';
  it('default target is the last stage', () => assert.equal(model(text).builds[0].target.name, 'c'));
  it('FROM ${BASE} names an earlier stage', () => assert.equal(model(text).builds[0].stages[2].baseStage?.name, 'a'));
  it('only needed stages are built', () => {
    const m = model(text);
    assert.deepEqual(m.builds[0].stages.map((s) => !!s.neededBy), [true, false, true]);
  });
  it('--target is case-insensitive', () => assert.equal(model(text, { target: 'B' }).builds[0].target.name, 'b'));
  it('unknown --target suggests', () => assert.throws(() => model(text, { target: 'bb' }), (e: Error) => e instanceof BuildOptionError && /could not be found \(did you mean b\?\)/.test(e.message)));
  it('FROM with another case is an image, not the stage', () => assert.equal(model('FROM debian AS a\nFROM A\n').builds[0].stages[1].baseStage, undefined));
  it('unnamed stages are stage-N', () => assert.equal(model('FROM debian\nFROM debian\n').builds[0].stages[1].name, 'stage-1'));
});

describe('operations and overlap', () => {
  it('identical RUNs in two stages merge into one operation', () => {
    const m = model('FROM debian AS a\nRUN apt-get update\nFROM debian AS b\nRUN apt-get update\nFROM scratch\nCOPY --from=a /a /a\nCOPY --from=b /b /b\n');
    const runs = m.steps.filter((s) => s.instruction.kind === 'run');
    assert.equal(runs[0].vertex, runs[1].vertex);
    assert.equal(m.graph.mayOverlap(runs[0], runs[1]), false);
  });
  it('independent stages overlap; a stage after COPY --from does not', () => {
    const m = model('FROM debian AS a\nRUN echo a\nFROM debian AS b\nRUN echo b\nCOPY --from=a /a /a\nRUN echo c\n');
    const [a, b, c] = m.steps.filter((s) => s.instruction.kind === 'run');
    assert.equal(m.graph.mayOverlap(a, b), true);
    assert.equal(m.graph.mayOverlap(a, c), false);
  });
  it('each platform is its own operation; BUILDPLATFORM stages are shared', () => {
    const m = model('FROM --platform=$BUILDPLATFORM debian AS tools\nRUN echo t\nFROM debian\nRUN echo x\n', { platforms: ['linux/amd64', 'linux/arm64'] });
    const vertices = (line: string) => new Set(m.steps.filter((s) => s.instruction.node.line.text === line).map((s) => s.vertex)).size;
    assert.equal(vertices('RUN echo t'), 1);
    assert.equal(vertices('RUN echo x'), 2);
  });
  it('tmpfs from= adds no input', () => {
    const m = model('FROM debian AS a\nRUN echo a\nFROM debian\nRUN --mount=type=tmpfs,from=a,target=/t echo b\n');
    const [a, b] = m.steps;
    assert.equal(m.graph.executing.has(a.vertex), false);
    assert.equal(m.graph.executing.has(b.vertex), true);
  });
});

describe("the base image's configuration (BuildKit expands with its ENV)", () => {
  const rust = (image: string) => (image.startsWith('rust') ? { env: { CARGO_HOME: '/usr/local/cargo' }, varying: ['RUST_VERSION'] } : undefined);
  const run = 'RUN --mount=type=cache,target=${CARGO_HOME}/registry cargo build\n';
  it("a known image's ENV is used in --mount values", () => assert.deepEqual(cacheKeys(`FROM rust:1.80\n${run}`, { imageConfig: rust }), ['//usr/local/cargo/registry']));
  it("an unknown image may set a variable the file uses but never sets: its value stays unknown, not empty", () => {
    const m = model(`FROM example.com/rust-builder:1\n${run}`, { imageConfig: rust });
    assert.deepEqual(m.steps.flatMap((s) => s.mounts.map((x) => x.target)), ['${CARGO_HOME}/registry']);
  });
  it('a variable the file sets is known, on any image', () => assert.deepEqual(cacheKeys(`FROM example.com/x\nENV CARGO_HOME=/c\n${run}`, { imageConfig: rust }), ['//c/registry']));
  it("a known image's versions are unknown", () =>
    assert.deepEqual(model('FROM rust:1.80\nRUN --mount=type=cache,target=/c/$RUST_VERSION true\n', { imageConfig: rust }).steps[0].mounts[0].target, '/c/${RUST_VERSION}'));
  it('WORKDIR of the image is where relative targets land', () =>
    assert.deepEqual(model('FROM golang\nRUN --mount=type=cache,target=cache true\n', { imageConfig: () => ({ env: {}, workdir: '/go' }) }).steps[0].mounts[0].target, '/go/cache'));
  it("BuildKit's own platform ARGs are never the image's", () => assert.deepEqual(cacheKeys('FROM example.com/x\nRUN --mount=type=cache,target=/c,id=c-$TARGETARCH true\n', { imageConfig: rust }), ['/c-']));
});
