/** What is known about common base images, by name and tag. */
import type { ImageConfig } from '../model/index.js';

/** The image name without registry and `library/`: `docker.io/library/debian:12` → `debian:12`. */
export function shortImageName(image: string): string {
  return image.replace(/^(docker\.io\/)?(library\/)?/, '');
}

/** Official images built on Debian or Ubuntu (unless the tag says alpine). */
const DEBIAN_FAMILY = /^(debian|ubuntu|python|node|golang|rust|ruby|php|perl|buildpack-deps|gcc|eclipse-temurin|openjdk|maven|gradle|amazoncorretto-debian|julia|r-base|haskell|elixir|erlang|swift|nginx|httpd|postgres|mysql|redis)(:|@|$)/;

export function isAlpine(image: string): boolean {
  const name = shortImageName(image);
  return /^alpine(:|@|$)/.test(name) || /[:-]alpine/.test(name);
}

/** Debian and Ubuntu official images (and those built on them) carry /etc/apt/apt.conf.d/docker-clean. */
export function hasDockerClean(image: string): boolean {
  const name = shortImageName(image);
  return DEBIAN_FAMILY.test(name) && !isAlpine(name);
}

/** `flock` is in util-linux (essential in Debian and Ubuntu, in Fedora's base) or busybox (Alpine). */
export function hasFlock(image: string): boolean {
  const name = shortImageName(image);
  return hasDockerClean(name) || isAlpine(name) || /^fedora(:|@|$)/.test(name);
}

/**
 * apk-tools major version the tag tells: an Alpine release in it (`alpine:3.20`,
 * `python:3.12-alpine3.20`; 3.23+ ships v3), or an `-alpine` tag of a version
 * whose images stopped being built before Alpine 3.23 came out (`node:14-alpine`
 * only ever shipped on Alpine ≤ 3.17). Undefined when the tag does not tell.
 */
export function apkMajorVersion(image: string): 2 | 3 | undefined {
  return apkTools(image)?.major;
}

/** apk-tools major version the tag tells, with how it tells it (for messages). */
/** The major version of a program an image ships, as its name and tag tell (only apk-tools is known). */
export function imageProgramVersion(program: 'apk-tools', image: string): { major: number; because: string } | undefined {
  return program === 'apk-tools' ? apkTools(image) : undefined;
}

export function apkTools(image: string): { major: 2 | 3; because: string } | undefined {
  const name = shortImageName(image);
  const m = /(?:^alpine:|-alpine)(\d+)\.(\d+)/.exec(name);
  if (m) {
    const [major, minor] = [Number(m[1]), Number(m[2])];
    const v3 = major > 3 || (major === 3 && minor >= 23);
    return { major: v3 ? 3 : 2, because: `Alpine ${m[1]}.${m[2]} ships apk-tools v${v3 ? 3 : 2}` };
  }
  if (!/-alpine(?![\d.])/.test(name)) return undefined;
  const tagged = /^([a-z0-9._/-]+):v?(\d+(?:\.\d+)*)/.exec(name);
  const family = tagged && BEFORE_ALPINE_3_23.find((f) => f.image === tagged[1]);
  if (!family || !tagged) return undefined;
  const version = tagged[2].split('.').map(Number);
  const ended = atOrBelow(version, family.upTo) || (family.also ?? []).some((line) => line.split('.').map(Number).every((n, i) => version[i] === n));
  if (!ended) return undefined;
  return { major: 2, because: `${tagged[1]} ${tagged[2]} images were only built on Alpine releases before 3.23, which ship apk-tools v2` };
}

/**
 * Official images whose `VERSION-alpine` tags were last built before Alpine
 * 3.23 (2025-12-03, the first release with apk-tools v3), because that
 * version's support had ended. Newer versions follow the current Alpine, so their plain `-alpine` tag does not tell. `upTo`: every version
 * at or below it (a major alone covers its minors); `also`: single lines that
 * ended while a lower one was still built (Node's odd majors).
 */
const BEFORE_ALPINE_3_23: ReadonlyArray<{ image: string; upTo: string; also?: string[] }> = [
  { image: 'node', upTo: '19', also: ['21', '23'] }, // Node 18 ended 2025-04, 23 in 2025-06; 20, 22, 24, 25 were still built
  { image: 'python', upTo: '3.9' }, // Python 3.9 ended 2025-10
  { image: 'golang', upTo: '1.23' }, // Go supports the two latest releases: 1.23 ended with 1.25 (2025-08)
  { image: 'ruby', upTo: '3.1' }, // Ruby 3.1 ended 2025-03
  { image: 'php', upTo: '8.0' }, // PHP 8.0 ended 2023-11
  { image: 'rust', upTo: '1.90' }, // only the latest Rust is built; 1.91 was current until 2025-12-11
];

/** Is `version` at or below `last`, compared on the parts `last` has (`3.9.18` ≤ `3.9`, `14.21` ≤ `19`)? */
function atOrBelow(version: number[], last: string): boolean {
  const bound = last.split('.').map(Number);
  for (let i = 0; i < bound.length; i++) {
    const v = version[i] ?? 0;
    if (v !== bound[i]) return v < bound[i];
  }
  return true;
}

/**
 * Versions of Debian's and Ubuntu's packages a release ships, by the codename
 * or version number in a tag (`debian:buster`, `ubuntu:20.04`,
 * `python:3.12-slim-bookworm`): apt's behaviour on a cache depends on them.
 */
const RELEASES: ReadonlyArray<{ distro: 'debian' | 'ubuntu'; names: string[]; apt: string }> = [
  { distro: 'debian', names: ['wheezy', '7'], apt: '0.9.7' },
  { distro: 'debian', names: ['jessie', '8'], apt: '1.0.9' },
  { distro: 'debian', names: ['stretch', '9'], apt: '1.4.11' },
  { distro: 'debian', names: ['buster', '10'], apt: '1.8.2' },
  { distro: 'debian', names: ['bullseye', '11'], apt: '2.2.4' },
  { distro: 'debian', names: ['bookworm', '12'], apt: '2.6.1' },
  { distro: 'debian', names: ['trixie', '13'], apt: '3.0.3' },
  { distro: 'ubuntu', names: ['precise', '12.04'], apt: '0.8.16' },
  { distro: 'ubuntu', names: ['trusty', '14.04'], apt: '1.0.1' },
  { distro: 'ubuntu', names: ['xenial', '16.04'], apt: '1.2.35' },
  { distro: 'ubuntu', names: ['bionic', '18.04'], apt: '1.6.17' },
  { distro: 'ubuntu', names: ['focal', '20.04'], apt: '2.0.10' },
  { distro: 'ubuntu', names: ['jammy', '22.04'], apt: '2.4.13' },
  { distro: 'ubuntu', names: ['noble', '24.04'], apt: '2.8.3' },
];

/** The version of a Debian/Ubuntu package the image's tag tells (`apt` on `debian:jessie` is 1.0.9), or undefined. */
export function debianPackageVersion(image: string, pkg: 'apt'): string | undefined {
  const name = shortImageName(image);
  if (!hasDockerClean(name)) return undefined;
  const tag = /:([^@]+)/.exec(name)?.[1];
  if (!tag) return undefined;
  const distro = /^(debian|ubuntu):/.exec(name)?.[1];
  const release = RELEASES.find((r) =>
    r.names.some((n) => (/^\d/.test(n) ? distro === r.distro && new RegExp(`^${n.replace('.', '\\.')}(\\.|-|$)`).test(tag) : new RegExp(`(^|-)${n}(-|$)`).test(tag))),
  );
  return release?.[pkg];
}

/** Is version `a` older than `b` (dotted numbers)? */
export function versionBelow(a: string, b: string): boolean {
  const [x, y] = [a.split('.').map(Number), b.split('.').map(Number)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) < (y[i] ?? 0);
  return false;
}

/** Images whose environment mountlint knows (official images), so tool paths in them can be judged. */
export function isKnownImage(image: string): boolean {
  const name = shortImageName(image);
  return (
    hasDockerClean(name) ||
    isAlpine(name) ||
    /^(fedora|centos|rockylinux|almalinux|amazonlinux|archlinux|opensuse\/[a-z]+|composer|mambaorg\/micromamba|continuumio\/miniconda3|scratch)(:|@|$)/.test(name)
  );
}

/** A passwd entry of an image: what runc reads to set HOME, and the ids a cache mount's uid/gid must match. */
export interface ImageUser {
  uid: number;
  gid: number;
  home: string;
}

/** What the configuration of an official image holds, as far as cache paths care. */
export interface ImageKnowledge {
  name: string;
  image: RegExp;
  /** ENV of the image's configuration: BuildKit expands Dockerfile variables with it. */
  env: Record<string, string>;
  /** ENV the image sets to a value that depends on the tag (versions, checksums). */
  varying?: string[];
  workdir?: string;
  /** Accounts beyond root that the image's /etc/passwd has. */
  users?: Record<string, ImageUser>;
  evidence: string[];
}

const PATH_DEFAULT = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const DEBIAN_USERS: Record<string, ImageUser> = { 'www-data': { uid: 33, gid: 33, home: '/var/www' }, nobody: { uid: 65534, gid: 65534, home: '/nonexistent' } };
/** Official images whose environment and accounts are known; the first match wins. */
export const IMAGES: readonly ImageKnowledge[] = [
  { name: 'rust', image: /^rust(:|@|$)/, env: { RUSTUP_HOME: '/usr/local/rustup', CARGO_HOME: '/usr/local/cargo', PATH: `/usr/local/cargo/bin:${PATH_DEFAULT}` }, varying: ['RUST_VERSION'], users: DEBIAN_USERS, evidence: ['RUST-IMAGE'] },
  { name: 'golang', image: /^golang(:|@|$)/, env: { GOTOOLCHAIN: 'local', GOPATH: '/go', PATH: `/go/bin:/usr/local/go/bin:${PATH_DEFAULT}` }, varying: ['GOLANG_VERSION'], workdir: '/go', users: DEBIAN_USERS, evidence: ['GO-IMAGE'] },
  { name: 'node', image: /^node(:|@|$)/, env: { PATH: PATH_DEFAULT }, varying: ['NODE_VERSION', 'YARN_VERSION'], users: { node: { uid: 1000, gid: 1000, home: '/home/node' } }, evidence: ['NODE-IMAGE'] },
  { name: 'python', image: /^python(:|@|$)/, env: { PATH: PATH_DEFAULT, LANG: 'C.UTF-8' }, varying: ['GPG_KEY', 'PYTHON_VERSION', 'PYTHON_SHA256'], users: DEBIAN_USERS, evidence: ['PY-IMAGE'] },
  { name: 'ruby', image: /^ruby(:|@|$)/, env: { LANG: 'C.UTF-8', GEM_HOME: '/usr/local/bundle', BUNDLE_SILENCE_ROOT_WARNING: '1', BUNDLE_APP_CONFIG: '/usr/local/bundle', PATH: `/usr/local/bundle/bin:${PATH_DEFAULT}` }, varying: ['RUBY_VERSION', 'RUBY_DOWNLOAD_URL', 'RUBY_DOWNLOAD_SHA256'], users: DEBIAN_USERS, evidence: ['RUBY-IMAGE'] },
  { name: 'php', image: /^php(:|@|$)/, env: { PHP_INI_DIR: '/usr/local/etc/php', PATH: PATH_DEFAULT }, varying: ['PHPIZE_DEPS', 'PHP_CFLAGS', 'PHP_CPPFLAGS', 'PHP_LDFLAGS', 'GPG_KEYS', 'PHP_VERSION', 'PHP_URL', 'PHP_ASC_URL', 'PHP_SHA256'], workdir: '/var/www/html', users: DEBIAN_USERS, evidence: ['PHP-IMAGE'] },
  { name: 'composer', image: /^composer(:|@|$)/, env: { COMPOSER_ALLOW_SUPERUSER: '1', COMPOSER_HOME: '/tmp', PATH: PATH_DEFAULT }, varying: ['COMPOSER_VERSION', 'PHPIZE_DEPS', 'PHP_INI_DIR', 'PHP_VERSION'], workdir: '/app', evidence: ['COMPOSER-3'] },
  { name: 'maven', image: /^maven(:|@|$)/, env: { JAVA_HOME: '/opt/java/openjdk', MAVEN_HOME: '/usr/share/maven', MAVEN_CONFIG: '/root/.m2', PATH: `/opt/java/openjdk/bin:${PATH_DEFAULT}` }, varying: ['JAVA_VERSION', 'LANG', 'LANGUAGE', 'LC_ALL'], evidence: ['MAVEN-IMAGE', 'TEMURIN-IMAGE'] },
  { name: 'gradle', image: /^gradle(:|@|$)/, env: { JAVA_HOME: '/opt/java/openjdk', GRADLE_HOME: '/opt/gradle', GRADLE_USER_HOME: '/home/gradle/.gradle', PATH: `/opt/gradle/bin:/opt/java/openjdk/bin:${PATH_DEFAULT}` }, varying: ['GRADLE_VERSION', 'JAVA_VERSION', 'LANG', 'LANGUAGE', 'LC_ALL'], workdir: '/home/gradle', users: { gradle: { uid: 1000, gid: 1000, home: '/home/gradle' } }, evidence: ['GRADLE-IMAGE'] },
  { name: 'eclipse-temurin', image: /^eclipse-temurin(:|@|$)/, env: { JAVA_HOME: '/opt/java/openjdk', PATH: `/opt/java/openjdk/bin:${PATH_DEFAULT}` }, varying: ['JAVA_VERSION', 'LANG', 'LANGUAGE', 'LC_ALL'], evidence: ['TEMURIN-IMAGE'] },
  { name: 'ubuntu', image: /^ubuntu(:|@|$)/, env: { PATH: PATH_DEFAULT }, users: { ...DEBIAN_USERS, ubuntu: { uid: 1000, gid: 1000, home: '/home/ubuntu' } }, evidence: ['UBUNTU-IMAGE', 'DEBIAN-PASSWD'] },
  { name: 'debian', image: /^(debian|buildpack-deps)(:|@|$)/, env: { PATH: PATH_DEFAULT }, users: DEBIAN_USERS, evidence: ['DEBIAN-PASSWD'] },
  { name: 'alpine, busybox, fedora, …', image: /^(alpine|busybox|fedora|centos|rockylinux|almalinux|amazonlinux|archlinux|opensuse\/[a-z]+|scratch)(:|@|$)/, env: { PATH: PATH_DEFAULT }, evidence: ['BK-REF'] },
];

/** What is known about an image's configuration, or undefined when nothing is. */
export function imageKnowledge(image: string): ImageKnowledge | undefined {
  if (KNOWN.has(image)) return KNOWN.get(image);
  const name = shortImageName(image);
  const found = IMAGES.find((i) => i.image.test(name));
  if (KNOWN.size > 1000) KNOWN.clear();
  KNOWN.set(image, found);
  return found;
}

/** Looked up once per image name (every step of every stage asks). */
const KNOWN = new Map<string, ImageKnowledge | undefined>();

/**
 * Words in an unknown image's name or tag that point to an official image
 * family: `lukemathwalker/cargo-chef:latest-rust-1` and `acme/rust-base` → rust,
 * `mcr.microsoft.com/devcontainers/typescript-node:20` → node,
 * `ghcr.io/astral-sh/uv:python3.12-bookworm` → python.
 */
const FAMILY_WORDS: Array<[RegExp, string]> = [
  [/^(rust|cargo)$/, 'rust'],
  [/^(node|nodejs|typescript|javascript)$/, 'node'],
  [/^python\d*$/, 'python'],
  [/^(golang)$/, 'golang'],
  [/^ruby$/, 'ruby'],
  [/^php\d*$/, 'php'],
  [/^composer$/, 'composer'],
  [/^maven$/, 'maven'],
  [/^gradle$/, 'gradle'],
];

/**
 * The official image an unknown image is probably built on, by the words of
 * its name and tag; undefined for a known image (nothing to guess) or when no
 * word points to one. A guess: callers say so in their messages.
 */
export function imageFamily(image: string): ImageKnowledge | undefined {
  if (imageKnowledge(image) || isKnownImage(image)) return undefined;
  const words = shortImageName(image).toLowerCase().split(/[^a-z0-9]+/);
  for (const [word, family] of FAMILY_WORDS) if (words.some((w) => word.test(w))) return IMAGES.find((i) => i.name === family);
  return undefined;
}

/** The model's view of an image's configuration (BuildOptions.imageConfig). */
export function imageConfig(image: string): ImageConfig | undefined {
  const known = imageKnowledge(image);
  return known && { env: known.env, varying: known.varying, workdir: known.workdir };
}
