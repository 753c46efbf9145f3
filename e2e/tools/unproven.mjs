/**
 * Why the tools in the knowledge file that have no case in e2e/tools are not
 * proven on real builds here. The machine reaches Debian's package mirror and
 * the npm registry only: no image registry, no other distribution's
 * repositories, no PyPI, Maven Central, RubyGems, Packagist, NuGet or
 * crates.io. The suite checks that every tool has a case or a reason.
 */
const NO_REPO = (what) => `needs ${what}, which this machine cannot reach (only Debian's mirror and the npm registry are reachable)`;

export const UNPROVEN = {
  apk: NO_REPO('an Alpine base image and Alpine\'s package repositories'),
  yum: NO_REPO('an EL7 base image and its yum repositories'),
  dnf: NO_REPO('a Fedora/EL base image and RPM repositories (Debian packages dnf, but no repository to install from)'),
  dnf5: NO_REPO('a Fedora base image and RPM repositories'),
  microdnf: NO_REPO('a UBI-minimal or Fedora-minimal base image and RPM repositories'),
  zypper: NO_REPO('an openSUSE base image and its repositories'),
  pacman: NO_REPO('an Arch base image and its mirrors'),
  uv: 'uv is not packaged in Debian 12 and installs from PyPI or a binary download, neither reachable',
  poetry: NO_REPO('PyPI (or a package index of its own) for the dependencies it caches'),
  pipenv: NO_REPO('PyPI (or a package index of its own) for the dependencies it caches'),
  conda: NO_REPO('a conda channel (and a Miniconda or Miniforge image)'),
  mamba: NO_REPO('a conda channel (and a micromamba image)'),
  'yarn-berry': 'not run yet: Yarn 4 is on the npm registry (@yarnpkg/cli-dist), so it can be added like Yarn 1',
  bun: 'the npm package installs its binary from GitHub releases in a postinstall script, which is not reachable',
  maven: NO_REPO('Maven Central (Debian\'s maven runs, but its plugins and dependencies come from a remote repository)'),
  gradle: NO_REPO('the Gradle distribution and Maven Central (Debian 12\'s gradle is 4.4, too old for a meaningful case)'),
  sccache: 'sccache is not packaged in Debian 12 and installs from crates.io or a binary download, neither reachable',
  bundler: NO_REPO('RubyGems.org for the gems it caches'),
  composer: NO_REPO('Packagist for the packages it caches'),
  nuget: NO_REPO('the .NET SDK (not in Debian) and nuget.org'),
  coursier: NO_REPO('Maven Central and a Coursier launcher'),
  sbt: NO_REPO('sbt itself (not in Debian 12) and Maven Central'),
};

/** What the tool cases leave open, printed under the tables in docs/proof.md. */
export const OPEN_QUESTIONS = [
  'npm across platforms (awkoy/notion-mcp-server#9: amd64 and arm64 sharing /root/.npm failed with `EEXIST … rename … _cacache`, fixed there with a per-architecture id and `locked`): npm-platforms runs that overlap natively (a `FROM --platform=$BUILDPLATFORM` stage built for both platforms in one request, the two `npm ci` on one cache for their whole run) and npm did not fail (4 of 4 clean when the case was added, on Docker 26.1 with the containerd store). The build of PR #9 ran its arm64 half under QEMU emulation, which this machine cannot run, and its Dockerfile also cleaned the cache in a second stage (npm-clean-beside-install: clean too). So npm stays "safe" for concurrent installs; what made that build fail is not reproduced here.',
  'pip: only the wheel cache (sdists built into wheels, pip 23.0) is exercised; pip\'s HTTP cache needs an index, and PyPI is not reachable. pip 25.3 changed how built wheels enter the cache (the knowledge\'s reason for "depends"); pip 23 never failed here, so the warning stays a warning.',
  'cargo: a shared target/ directory (cargo waits on "build directory") is not a case: the knowledge does not list target/ as a cargo cache, so there is nothing to predict yet.',
];
