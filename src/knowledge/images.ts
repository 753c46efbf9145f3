/** What is known about common base images, by name and tag. */

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
