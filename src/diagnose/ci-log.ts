/**
 * A build log as CI systems store it, unwrapped line by line back into what
 * BuildKit printed: GitHub Actions raw logs (an ISO timestamp before every
 * line, `##[group]` / `##[endgroup]` / `##[error]` commands), GitLab job logs
 * (ANSI colours, `section_start:…` / `section_end:…` markers, `\r` progress
 * redraws), Jenkins console output (`[Pipeline]` lines, timestamps from the
 * Timestamper plugin). Plain logs pass through unchanged.
 */

export type LogWrapper = 'github-actions' | 'gitlab' | 'jenkins';

/** CSI and OSC escape sequences (colours, cursor moves, titles). */
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;
/** `gh run view --log`: the job's and the step's names, tab-separated, before the timestamp. */
const GH_CLI_COLUMNS = /^[^\t\n]*\t[^\t\n]*\t(?=\d{4}-\d\d-\d\dT)/;
/** GitHub Actions: `2024-05-01T10:00:00.1234567Z ` before every line. */
const GITHUB_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z ?/;
const GITHUB_COMMAND = /^##\[(group|endgroup|error|warning|notice|debug|command|section)\]/;
/** GitLab: `section_start:1714550400:build_image[collapsed=true]` and `section_end:…`. */
const GITLAB_SECTION = /section_(?:start|end):\d+:[A-Za-z0-9_.-]+(?:\[[^\]]*\])?/g;
/** Jenkins Timestamper: `[2024-05-01T10:00:00.123Z] ` or `10:00:00 ` or `[10:00:00] `. */
const JENKINS_TIME = /^\[?(?:\d{4}-\d\d-\d\dT)?\d\d:\d\d:\d\d(?:\.\d+)?Z?\]? /;
const JENKINS_PIPELINE = /^\[Pipeline\] /;

export class CiUnwrapper {
  /** The wrappers recognised so far. */
  readonly seen = new Set<LogWrapper>();

  /**
   * One stored line → the line BuildKit printed, or undefined for a line that
   * is the CI system's own (a group marker, a pipeline step).
   */
  unwrap(stored: string): string | undefined {
    let line = stored;
    if (line.includes('\x1b')) {
      line = line.replace(ANSI, '');
      this.seen.add('gitlab');
    }
    if (line.includes('section_')) {
      const before = line;
      line = line.replace(GITLAB_SECTION, '');
      if (line !== before) this.seen.add('gitlab');
    }
    // A terminal redraw: what stays on screen is the text after the last carriage return; but a
    // BuildKit line whose step printed a `\r` keeps its `#N` prefix and all its text.
    if (line.includes('\r')) {
      const parts = line.split('\r').filter((p) => p.trim() !== '');
      line = parts.length && /^#\d+ /.test(parts[0]) ? parts.join(' ') : parts.length ? parts[parts.length - 1] : '';
    }
    const columns = GH_CLI_COLUMNS.exec(line);
    if (columns) line = line.slice(columns[0].length);
    const time = GITHUB_TIME.exec(line);
    if (time) {
      line = line.slice(time[0].length);
      this.seen.add('github-actions');
    }
    const command = GITHUB_COMMAND.exec(line);
    if (command) {
      this.seen.add('github-actions');
      // `##[error]text` carries the text; group markers carry a title only.
      if (command[1] === 'error' || command[1] === 'warning') return line.slice(command[0].length);
      return undefined;
    }
    if (!time) {
      const jenkins = JENKINS_TIME.exec(line);
      if (jenkins && /^\[?\d/.test(line)) {
        line = line.slice(jenkins[0].length);
        this.seen.add('jenkins');
      }
    }
    if (JENKINS_PIPELINE.test(line)) {
      this.seen.add('jenkins');
      return undefined;
    }
    return line;
  }
}
