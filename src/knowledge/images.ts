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

/** apk-tools major version from an Alpine tag (3.23+ ships v3), or undefined when the tag does not tell. */
export function apkMajorVersion(image: string): 2 | 3 | undefined {
  const m = /(?:^alpine:|-alpine)(\d+)\.(\d+)/.exec(shortImageName(image));
  if (!m) return undefined;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  return major > 3 || (major === 3 && minor >= 23) ? 3 : 2;
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
