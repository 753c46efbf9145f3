/**
 * Which builds a shell script runs at the same time, read from its syntax tree:
 * jobs in the background until `wait`, loops, functions and variables of the
 * script, `xargs -P` and GNU `parallel` with named items — and what runs one
 * after the other.
 */
import { strict as assert } from 'node:assert';
import { before, describe, it } from 'node:test';
import { concurrentScriptBuilds } from '../../src/builds/index.js';
import { loadShellParser } from '../../src/commands/index.js';

before(() => loadShellParser());

/** Each group as its jobs, each job as the contexts (last word) of its builds. */
function groups(script: string, vars?: Record<string, string>): string[][][] {
  return concurrentScriptBuilds(script, vars && new Map(Object.entries(vars))).groups.map((g) => g.jobs.map((j) => j.map((b) => b.command.split(' ').pop()!)));
}

describe('builds a script runs at the same time', () => {
  const together: Array<[string, string, string[][][]]> = [
    ['two builds in the background, then wait', 'docker build ./api &\ndocker buildx build ./web &\nwait\n', [[['./api'], ['./web']]]],
    ['background builds with no wait run together until the end', 'docker build ./api &\ndocker build ./web &\n', [[['./api'], ['./web']]]],
    ['a foreground build while one runs in the background', 'docker build ./api &\ndocker build ./web\nwait\n', [[['./api'], ['./web']]]],
    ['a loop over literal words, each iteration in the background', 'for d in api web; do docker build "./$d" & done\nwait\n', [[['./api'], ['./web']]]],
    ['a loop over a variable the script sets', 'IMAGES="api web"\nfor d in $IMAGES; do\n  docker build ./$d &\ndone\nwait\n', [[['./api'], ['./web']]]],
    ['a function called in the background', 'build() {\n  docker build -t "$1" "./$1" >"$1.log" 2>&1\n}\nbuild api &\nbuild web &\nwait\n', [[['./api'], ['./web']]]],
    ['sudo and redirections around the build', 'sudo docker build ./api > a.log 2>&1 &\nnohup docker build ./web &\nwait\n', [[['./api'], ['./web']]]],
    ['a backgrounded subshell builds one after the other, beside another job', '(docker build ./a1 && docker build ./a2) &\ndocker build ./b &\nwait\n', [[['./a1', './a2'], ['./b']]]],
    ['xargs -P over printf', "printf '%s\\n' api web | xargs -P 2 -I{} docker build ./{}\n", [[['./api'], ['./web']]]],
    ['xargs -P0 -n1 over echo, the item as the last word', 'echo api web | xargs -n1 -P0 docker build\n', [[['api'], ['web']]]],
    ['parallel over :::', 'parallel -j 2 docker build ./{} ::: api web\n', [[['./api'], ['./web']]]],
    ['parallel with the command as one word', "parallel 'docker build ./{}' ::: api web\n", [[['./api'], ['./web']]]],
    ['a variable of the CI job', 'docker build ./$A &\ndocker build ./$B &\nwait\n', [[['./api'], ['./web']]]],
  ];
  for (const [name, script, expected] of together) {
    it(name, () => assert.deepEqual(groups(script, { A: 'api', B: 'web' }), expected));
  }

  const apart: Array<[string, string]> = [
    ['one after the other', 'docker build ./api\ndocker build ./web\n'],
    ['a wait between the background builds', 'docker build ./api &\nwait\ndocker build ./web &\nwait\n'],
    ['a wait inside the loop', 'for d in api web; do docker build ./$d & wait; done\n'],
    ['xargs without -P', "printf '%s\\n' api web | xargs -I{} docker build ./{}\n"],
    ['xargs -P 1', "printf '%s\\n' api web | xargs -P 1 -I{} docker build ./{}\n"],
    ['parallel -j1', 'parallel -j1 docker build ./{} ::: api web\n'],
    ['one build in the background, nothing else', 'docker build ./api &\necho started\nwait\n'],
    ['a function defined and never called', 'build() { docker build ./$1 & }\n'],
    ['other commands in the background', 'npm ci &\ndocker build ./api\nwait\n'],
  ];
  for (const [name, script] of apart) {
    it(`none: ${name}`, () => assert.deepEqual(groups(script), []));
  }

  it('a computed word stays computed: the build is there, its value is not guessed', () => {
    const [group] = concurrentScriptBuilds('docker build -f "$(pick)" ./api &\ndocker build ./web &\nwait\n').groups;
    assert.equal(group.jobs[0][0].command, 'docker build -f ${computed} ./api');
  });
  it('notes what it cannot name: a loop over read lines, xargs fed by ls', () => {
    const reading = concurrentScriptBuilds('while read d; do docker build "./$d" & done < images.txt\nls -d */ | xargs -P 4 -I{} docker build {}\n');
    assert.deepEqual(reading.groups, []);
    assert.deepEqual(reading.notes.map((n) => n.text.split(':')[0]), ['builds started in the background in a loop over values the script does not name', 'builds started by xargs -P 4 run at the same time, but which ones depends on input the script does not name']);
  });
  it('every build, in order, whichever way it starts', () => {
    const reading = concurrentScriptBuilds('docker build ./a\nfor d in b c; do docker build ./$d & done\nwait\n');
    assert.deepEqual(reading.builds.map((b) => b.command), ['docker build ./a', 'docker build ./b', 'docker build ./c']);
  });
  it('places each build at its command in the script', () => {
    const script = 'echo go\ndocker build ./api &\ndocker build ./web &\nwait\n';
    const [group] = concurrentScriptBuilds(script).groups;
    assert.equal(script.slice(group.jobs[1][0].range.start, group.jobs[1][0].range.end), 'docker build ./web');
    assert.equal(script.slice(group.endsAt!.start, group.endsAt!.end), 'wait');
  });
});
