/** Which files are Dockerfiles by name (the CLI's directory search and the editor server agree on it). */

/**
 * Dockerfile names, case-insensitively: `Dockerfile` and `Containerfile`,
 * alone, with a suffix after `.`, `-` or `_` (`Dockerfile.dev`,
 * `Dockerfile-dev`, `containerfile_ci`), or as an extension (`api.Dockerfile`,
 * `web.containerfile`). Not the files that only sit beside one
 * (`Dockerfile.dockerignore`, `Dockerfile.md`, editor backups).
 */
const DOCKERFILE_NAME = /^(?:(?:docker|container)file(?:[._-].+)?|.+\.(?:docker|container)file)$/i;
const NOT_A_DOCKERFILE = /\.(?:dockerignore|md|txt|orig|rej|bak|swp|tmp)$/i;

export function isDockerfileName(name: string): boolean {
  return DOCKERFILE_NAME.test(name) && !NOT_A_DOCKERFILE.test(name);
}
