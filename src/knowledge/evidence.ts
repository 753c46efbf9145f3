/**
 * The public sources behind every fact in the knowledge layer, by tag. Tools,
 * images and rules cite these tags; the generated docs turn them into links
 * (`test/knowledge/tools.test.ts` checks that every cited tag is here).
 * The tags follow the team's package-manager survey, so a fact can be traced
 * to where it was read (source file, documentation, or issue).
 */

export interface Source {
  /** What it is, in a few words. */
  title: string;
  url: string;
  /**
   * 'claim' (the default): documentation, source code or design — what a tool
   * is meant to do. 'report': a failure someone saw (an issue, a pull request
   * or a fix commit quoting the error) — an observation, like the e2e suite's.
   */
  kind?: 'claim' | 'report';
}

export const SOURCES: Readonly<Record<string, Source>> = {
  // BuildKit, Docker, runc
  'BK-REF': { title: 'BuildKit Dockerfile reference, RUN --mount=type=cache', url: 'https://github.com/moby/buildkit/blob/master/frontend/dockerfile/docs/reference.md#run---mounttypecache' },
  'BK-2459': { title: 'moby/buildkit#2459 (mixed sharing modes; dotnet restore conflicts)', url: 'https://github.com/moby/buildkit/issues/2459', kind: 'report' },
  'BK-1662': { title: 'moby/buildkit#1662 (parallel apt failures, multi-platform)', url: 'https://github.com/moby/buildkit/issues/1662', kind: 'report' },
  'BK-MOUNT': { title: 'BuildKit solver/llbsolver/mounts/mount.go: cache directories by id, sharing modes (shared, private, locked)', url: 'https://github.com/moby/buildkit/blob/master/solver/llbsolver/mounts/mount.go' },
  'BK-RUNMOUNT': { title: 'BuildKit frontend/dockerfile/instructions/commands_runmount.go: parsing --mount, its errors', url: 'https://github.com/moby/buildkit/blob/master/frontend/dockerfile/instructions/commands_runmount.go' },
  'BK-CONVERT': { title: 'BuildKit dockerfile2llb/convert.go and convert_runmount.go: stages, dependencies, cache ids, uid/gid/mode', url: 'https://github.com/moby/buildkit/blob/master/frontend/dockerfile/dockerfile2llb/convert.go' },
  'BK-PARSER': { title: 'BuildKit frontend/dockerfile/parser and instructions: what the Dockerfile frontend accepts', url: 'https://github.com/moby/buildkit/tree/master/frontend/dockerfile/parser' },
  'BK-EXEC': { title: 'BuildKit client/llb/exec.go: a step\'s mounts taken in target-path order', url: 'https://github.com/moby/buildkit/blob/master/client/llb/exec.go' },
  'BK-2487': { title: 'moby/buildkit#2487 (parallel stages need sharing=locked for apt)', url: 'https://github.com/moby/buildkit/issues/2487', kind: 'report' },
  'BK-3017': { title: 'moby/buildkit#3017 (sharing=locked in the apt example: "Apt needs exclusive access")', url: 'https://github.com/moby/buildkit/pull/3017' },
  PROOF: { title: "mountlint's own runs on Docker 20.10 and 26.1 (docs/proof.md): every prediction and fix checked on real engines", url: 'https://github.com/mountlint/mountlint/blob/main/docs/proof.md' },
  'BK-HEREDOC': { title: 'BuildKit Dockerfile reference, here-documents (Dockerfile 1.4)', url: 'https://github.com/moby/buildkit/blob/master/frontend/dockerfile/docs/reference.md#here-documents' },
  'DOCS-OPT': { title: 'Docker docs, "Use cache mounts"', url: 'https://docs.docker.com/build/cache/optimize/#use-cache-mounts' },
  'DOCS-25597': { title: 'docker/docs#25597 (cargo registry mounts break multi-platform builds)', url: 'https://github.com/docker/docs/issues/25597', kind: 'report' },
  'DOCS-25616': { title: 'docker/docs#25616 (one CARGO_HOME cache mount)', url: 'https://github.com/docker/docs/pull/25616' },
  'RUNC-HOME': { title: 'runc libcontainer/init_linux.go: HOME from the user\'s passwd entry when the environment has none, "/" without an entry', url: 'https://github.com/opencontainers/runc/blob/main/libcontainer/init_linux.go' },
  'SHADOW-USERADD': { title: 'useradd(8): -d/--home-dir, default home /home/NAME, -u/--uid, -g/--gid', url: 'https://man7.org/linux/man-pages/man8/useradd.8.html' },
  'BUSYBOX-ADDUSER': { title: 'BusyBox adduser: -h DIR home, -u UID, -G GROUP; default home /home/NAME', url: 'https://busybox.net/downloads/BusyBox.html#adduser' },
  'DEBIAN-ADDUSER': { title: 'Debian adduser(8): --home DIR, --uid ID, --gid ID; default home /home/NAME', url: 'https://manpages.debian.org/bookworm/adduser/adduser.8.en.html' },
  'DEBIAN-PASSWD': { title: 'Debian base-passwd: www-data (33, /var/www), nobody (65534, /nonexistent)', url: 'https://salsa.debian.org/debian/base-passwd/-/blob/master/passwd.master' },
  // apt
  'APT-1': { title: 'apt fileutl.cc GetLock() (non-blocking lock inside the directory)', url: 'https://salsa.debian.org/apt-team/apt/-/blob/main/apt-pkg/contrib/fileutl.cc' },
  'APT-2': { title: 'apt acquire.cc pkgAcquire::GetLock() (archives and lists locks)', url: 'https://salsa.debian.org/apt-team/apt/-/blob/main/apt-pkg/acquire.cc' },
  'APT-3': { title: 'apt debsystem.cc (DPkg::Lock::Timeout covers only dpkg\'s locks)', url: 'https://salsa.debian.org/apt-team/apt/-/blob/main/apt-pkg/deb/debsystem.cc' },
  'APT-7': { title: 'apt debian/NEWS 1.2 (Keep-Downloaded-Packages)', url: 'https://salsa.debian.org/apt-team/apt/-/blob/main/debian/NEWS' },
  'APT-4': { title: 'apt init.cc and debsystem.cc (Dir::State::extended_states in /var/lib/apt)', url: 'https://salsa.debian.org/apt-team/apt/-/blob/main/apt-pkg/init.cc' },
  DEBUERREOTYPE: { title: 'debuerreotype docker-clean (Debian and Ubuntu images delete downloaded packages)', url: 'https://github.com/debuerreotype/debuerreotype/blob/master/scripts/debuerreotype-minimizing-config' },
  // apk
  'APK-1': { title: 'apk-tools database.c setup_cache() (/etc/apk/cache enables package caching)', url: 'https://github.com/alpinelinux/apk-tools/blob/master/src/database.c' },
  'APK-2': { title: 'apk-cache(5) and apk(8) (--cache-dir, --no-cache)', url: 'https://github.com/alpinelinux/apk-tools/blob/master/doc/apk-cache.5.scd' },
  'APK-3': { title: 'apk-tools v2.14 cache writes through a fixed temporary name', url: 'https://github.com/alpinelinux/apk-tools/blob/v2.14.10/src/database.c' },
  'APK-4': { title: 'apk-tools d4a4931 "make cache concurrent safe" (v3.0.0)', url: 'https://github.com/alpinelinux/apk-tools/commit/d4a4931' },
  // RPM family, SUSE, Arch
  'YUM-1': { title: 'yum __init__.py locking and config (cachedir, keepcache)', url: 'https://github.com/rpm-software-management/yum/blob/master/yum/__init__.py' },
  'YUM-2': { title: 'yum cli.py waitForLock()', url: 'https://github.com/rpm-software-management/yum/blob/master/cli.py' },
  'YUM-3': { title: 'CentOS yum.conf ships keepcache=0', url: 'https://github.com/rpm-software-management/yum/blob/master/etc/yum.conf' },
  'DNF-1': { title: 'dnf lock.py (PID lock files checked against /proc)', url: 'https://github.com/rpm-software-management/dnf/blob/master/dnf/lock.py' },
  'DNF-2': { title: 'dnf const.py.in (cache directory /var/cache/dnf)', url: 'https://github.com/rpm-software-management/dnf/blob/master/dnf/const.py.in' },
  'DNF-5': { title: 'dnf.conf reference: keepcache (default False)', url: 'https://dnf.readthedocs.io/en/latest/conf_ref.html' },
  'DNF5-1': { title: 'dnf5 const.hpp (system_cachedir /var/cache/libdnf5)', url: 'https://github.com/rpm-software-management/dnf5/blob/main/include/libdnf5/conf/const.hpp' },
  'DNF5-2': { title: 'dnf5.conf(5): keepcache default False', url: 'https://github.com/rpm-software-management/dnf5/blob/main/doc/dnf5.conf.5.rst' },
  'DNF5-4': { title: 'rpm-software-management/dnf5#1640 (a second dnf5 deletes cached packages)', url: 'https://github.com/rpm-software-management/dnf5/issues/1640', kind: 'report' },
  'LIBDNF-1685': { title: 'rpm-software-management/libdnf#1685 (microdnf PID locks in a cache mount)', url: 'https://github.com/rpm-software-management/libdnf/issues/1685', kind: 'report' },
  'MICRODNF-27': { title: 'rpm-software-management/microdnf#27 (stale metadata in the cache)', url: 'https://github.com/rpm-software-management/microdnf/issues/27', kind: 'report' },
  'ZYPP-1': { title: 'libzypp ZYppFactory.cc (lock /run/zypp.pid)', url: 'https://github.com/openSUSE/libzypp/blob/master/zypp/ZYppFactory.cc' },
  'ZYPP-2': { title: 'zypp.conf(5) (cachedir /var/cache/zypp, packagesdir)', url: 'https://github.com/openSUSE/libzypp/blob/master/doc/zypp.conf.5.txt' },
  'ZYPP-3': { title: 'libzypp RepoInfo.h keepPackages() (.keep_packages)', url: 'https://github.com/openSUSE/libzypp/blob/master/zypp/RepoInfo.h' },
  PACMAN: { title: 'pacman handle.c _alpm_handle_lock() (db.lck in DBPath)', url: 'https://gitlab.archlinux.org/pacman/pacman/-/blob/master/lib/libalpm/handle.c' },
  // Python
  'PIP-1': { title: 'pip documentation, Caching', url: 'https://pip.pypa.io/en/stable/topics/caching/' },
  'PIP-2': { title: 'pip cmdoptions.py _handle_no_cache_dir (any PIP_NO_CACHE_DIR value disables the cache)', url: 'https://github.com/pypa/pip/blob/main/src/pip/_internal/cli/cmdoptions.py' },
  'PIP-3': { title: 'pip network/cache.py SafeFileCache (atomic writes)', url: 'https://github.com/pypa/pip/blob/main/src/pip/_internal/network/cache.py' },
  'PIP-4': { title: 'pip 25.3 "Fix wheel cache concurrency" (news/13540)', url: 'https://github.com/pypa/pip/blob/main/src/pip/_internal/wheel_builder.py' },
  'PIP-OWNER': { title: 'pip base_command.py: a cache directory not writable by the user is disabled with a warning ("The cache has been disabled"), and pip goes on', url: 'https://github.com/pypa/pip/blob/main/src/pip/_internal/cli/base_command.py' },
  'PY-IMAGE': { title: 'docker-library/python Dockerfile template', url: 'https://github.com/docker-library/python/blob/master/Dockerfile-linux.template' },
  'UV-1': { title: 'uv documentation, Caching (cache safety, cache directory)', url: 'https://docs.astral.sh/uv/concepts/cache/#cache-safety' },
  'UV-2': { title: 'uv locked_file.rs (flock inside the cache)', url: 'https://github.com/astral-sh/uv/blob/main/crates/uv-fs/src/locked_file.rs' },
  'UV-4': { title: 'uv Docker guide (UV_LINK_MODE=copy, /root/.cache/uv)', url: 'https://docs.astral.sh/uv/guides/integration/docker/#caching' },
  'UV-VENV': { title: 'uv venv: creates a virtual environment, replacing the one at the path', url: 'https://docs.astral.sh/uv/reference/cli/#uv-venv' },
  'UV-ENV': { title: 'uv project environments (.venv, UV_PROJECT_ENVIRONMENT)', url: 'https://docs.astral.sh/uv/concepts/projects/config/#project-environment-path' },
  'POETRY-1': { title: 'Poetry configuration (cache-dir; virtualenvs.path = {cache-dir}/virtualenvs; virtualenvs.create, in-project)', url: 'https://python-poetry.org/docs/configuration/' },
  'POETRY-2': { title: 'python-poetry/poetry#5142 and #6186 (partial artifacts)', url: 'https://github.com/python-poetry/poetry/issues/5142', kind: 'report' },
  'POETRY-3': { title: 'python-poetry/poetry#7370 (parallel installs into one cache)', url: 'https://github.com/python-poetry/poetry/issues/7370', kind: 'report' },
  'POETRY-4': { title: 'python-poetry/poetry#11048 (CacheControl body-file race)', url: 'https://github.com/python-poetry/poetry/issues/11048', kind: 'report' },
  'POETRY-VENV': { title: 'Poetry managing environments: an activated virtualenv (VIRTUAL_ENV) is used as is', url: 'https://python-poetry.org/docs/managing-environments/' },
  PIPENV: { title: 'pipenv environments.py (PIPENV_CACHE_DIR)', url: 'https://github.com/pypa/pipenv/blob/main/pipenv/environments.py' },
  'CONDA-1': { title: 'conda/conda#5997 (undefined behaviour with concurrent package caches)', url: 'https://github.com/conda/conda/issues/5997', kind: 'report' },
  'CONDA-2': { title: 'conda/conda#9484 (InvalidArchiveError)', url: 'https://github.com/conda/conda/issues/9484', kind: 'report' },
  'CONDA-4': { title: 'conda/conda#9339 (/opt/conda/pkgs in continuumio images)', url: 'https://github.com/conda/conda/issues/9339' },
  'CONDA-5': { title: 'conda/conda#13055 (Docker cache mounts)', url: 'https://github.com/conda/conda/issues/13055', kind: 'report' },
  'CONDA-PKGS': { title: 'conda configuration, pkgs_dirs (the first writable package cache is used)', url: 'https://docs.conda.io/projects/conda/en/latest/user-guide/configuration/settings.html#pkgs-dirs' },
  'MAMBA-1': { title: 'mamba configuration.cpp (lock_timeout, use_lockfiles)', url: 'https://github.com/mamba-org/mamba/blob/main/libmamba/src/api/configuration.cpp' },
  'MAMBA-2': { title: 'mamba 2022.10.04 release ("fix lockfiles relying on PID")', url: 'https://github.com/mamba-org/mamba/releases/tag/2022.10.04' },
  // JavaScript
  'NPM-1': { title: 'npm cache documentation', url: 'https://docs.npmjs.com/cli/commands/npm-cache' },
  'NPM-PR9': { title: 'awkoy/notion-mcp-server#9 (linux/amd64 and linux/arm64 npm ci on one /root/.npm cache: EEXIST on rename into _cacache/content-v2; fixed with an id per TARGETARCH)', url: 'https://github.com/awkoy/notion-mcp-server/pull/9', kind: 'report' },
  'NPM-CI': { title: 'npm ci documentation ("If a node_modules is already present, it will be automatically removed before npm ci begins its install")', url: 'https://docs.npmjs.com/cli/commands/npm-ci' },
  'NPM-21007': { title: 'npm/npm#21007 (npm ci on a mounted node_modules: "removing existing node_modules/ before installation", EBUSY)', url: 'https://github.com/npm/npm/issues/21007', kind: 'report' },
  'NPM-EACCES': { title: 'npm error-message.js: EACCES in the cache folder ("Your cache folder contains root-owned files") fails the command', url: 'https://github.com/npm/cli/blob/latest/lib/utils/error-message.js' },
  CACACHE: { title: 'npm/cacache README (lockless, concurrent access)', url: 'https://github.com/npm/cacache' },
  'NODE-IMAGE': { title: 'nodejs/docker-node Dockerfile (user node, uid 1000, /home/node; Yarn 1)', url: 'https://github.com/nodejs/docker-node/blob/main/Dockerfile-debian.template' },
  'YARN1-1': { title: 'yarn 1 user-home-dir.js and user-dirs.js (root on Linux uses /usr/local/share)', url: 'https://github.com/yarnpkg/yarn/blob/master/src/util/user-home-dir.js' },
  'YARN1-2': { title: 'yarnpkg/yarn#683 (concurrent installs corrupt the cache)', url: 'https://github.com/yarnpkg/yarn/issues/683', kind: 'report' },
  'YARN1-3': { title: 'yarnpkg/yarn#4102 (lock the cache before changing it; open)', url: 'https://github.com/yarnpkg/yarn/issues/4102' },
  'YARN1-FALLBACK': { title: 'yarn 1 cli/index.js: a cache folder that is not writable is skipped ("Skipping preferred cache folder … because it is not writable") for a temporary one', url: 'https://github.com/yarnpkg/yarn/blob/master/src/cli/index.js' },
  'BERRY-1': { title: 'Yarn yarnrc reference, cacheFolder', url: 'https://yarnpkg.com/configuration/yarnrc' },
  'BERRY-2': { title: 'yarnpkg/berry Cache.ts (locked, atomic cache writes)', url: 'https://github.com/yarnpkg/berry/blob/master/packages/yarnpkg-core/sources/Cache.ts' },
  'BERRY-4': { title: 'yarnpkg/berry#6302 (global cache ~/.yarn/berry/cache)', url: 'https://github.com/yarnpkg/berry/issues/6302' },
  'PNPM-1': { title: 'pnpm Docker guide (PNPM_HOME=/pnpm, cache mount on /pnpm/store)', url: 'https://pnpm.io/docker' },
  'PNPM-2': { title: 'pnpm settings, storeDir', url: 'https://pnpm.io/settings#storedir' },
  'PNPM-3': { title: 'pnpm/pnpm#941 ("Concurrent installs should work fine")', url: 'https://github.com/pnpm/pnpm/issues/941' },
  'BUN-1': { title: 'oven-sh/bun#38382 (BUN_INSTALL_CACHE_DIR)', url: 'https://github.com/oven-sh/bun/pull/38382' },
  'BUN-3': { title: 'oven-sh/bun#36167 (auto-install race)', url: 'https://github.com/oven-sh/bun/pull/36167', kind: 'report' },
  'BUN-5': { title: 'oven-sh/bun#12917 (EEXIST with parallel installs)', url: 'https://github.com/oven-sh/bun/issues/12917', kind: 'report' },
  // Rust, Go, C
  'RUST-IMAGE': { title: 'rust-lang/docker-rust Dockerfile (CARGO_HOME=/usr/local/cargo, RUSTUP_HOME=/usr/local/rustup)', url: 'https://github.com/rust-lang/docker-rust/blob/master/Dockerfile-debian.template' },
  'CARGO-1': { title: 'cargo cache_lock.rs (the package-cache lock in CARGO_HOME)', url: 'https://github.com/rust-lang/cargo/blob/master/src/cargo/util/cache_lock.rs' },
  'CARGO-2': { title: 'cargo flock.rs ("Blocking waiting for file lock")', url: 'https://github.com/rust-lang/cargo/blob/master/src/cargo/util/flock.rs' },
  'CARGO-CLEAN': { title: 'cargo clean: removes the target directory', url: 'https://doc.rust-lang.org/cargo/commands/cargo-clean.html' },
  'CARGO-TARGET': { title: 'Cargo build cache: target/ beside the workspace\'s Cargo.toml; CARGO_TARGET_DIR, --target-dir, --manifest-path', url: 'https://doc.rust-lang.org/cargo/reference/build-cache.html' },
  'GO-IMAGE': { title: 'docker-library/golang Dockerfile (GOPATH=/go, WORKDIR /go)', url: 'https://github.com/docker-library/golang/blob/master/Dockerfile-linux.template' },
  'GO-1': { title: 'Go modules reference, module cache (safe for concurrent use)', url: 'https://go.dev/ref/mod#module-cache' },
  'GO-2': { title: 'cmd/go build cache (safe for multiple processes)', url: 'https://github.com/golang/go/blob/master/src/cmd/go/internal/cache/cache.go' },
  'CCACHE-1': { title: 'ccache manual (cache_dir, sharing a cache)', url: 'https://ccache.dev/manual/latest.html' },
  'CCACHE-2': { title: 'ccache lockfile.cpp (lock with heartbeat)', url: 'https://github.com/ccache/ccache/blob/master/src/ccache/util/lockfile.cpp' },
  'SCCACHE-1': { title: 'mozilla/sccache#1179 (several servers on one directory not supported)', url: 'https://github.com/mozilla/sccache/pull/1179' },
  'SCCACHE-2': { title: 'mozilla/sccache#407 (errors removing files from the cache)', url: 'https://github.com/mozilla/sccache/issues/407', kind: 'report' },
  'SCCACHE-3': { title: 'mozilla/sccache#944', url: 'https://github.com/mozilla/sccache/issues/944' },
  // JVM
  'MVN-1': { title: 'Maven Resolver SyncContextFactory (rwlock-local default)', url: 'https://maven.apache.org/resolver/maven-resolver-impl/synccontextfactory.html' },
  'MVN-2': { title: 'Maven Resolver named locks (file-lock shares one repository)', url: 'https://maven.apache.org/resolver-archives/resolver-1.8.2/maven-resolver-named-locks/index.html' },
  'MVN-3': { title: 'apache/maven-resolver#759 (MRESOLVER-264: corrupted local repository)', url: 'https://github.com/apache/maven-resolver/issues/759', kind: 'report' },
  'MAVEN-IMAGE': { title: 'carlossg/docker-maven Dockerfile (MAVEN_HOME, MAVEN_CONFIG=/root/.m2)', url: 'https://github.com/carlossg/docker-maven/blob/main/eclipse-temurin-21/Dockerfile' },
  'TEMURIN-IMAGE': { title: 'adoptium/containers Dockerfile (JAVA_HOME=/opt/java/openjdk)', url: 'https://github.com/adoptium/containers/blob/main/21/jdk/ubuntu/noble/Dockerfile' },
  'GRADLE-1': { title: 'Gradle DefaultFileLockManager (60 s lock timeout)', url: 'https://github.com/gradle/gradle/blob/master/platforms/core-execution/persistent-cache/src/main/java/org/gradle/cache/internal/DefaultFileLockManager.java' },
  'GRADLE-2': { title: 'gradle/gradle#851 (share downloaded dependencies between containers)', url: 'https://github.com/gradle/gradle/issues/851' },
  'GRADLE-3': { title: 'argoproj/argo-workflows discussion 16871 (UDP unlock requests across network namespaces)', url: 'https://github.com/argoproj/argo-workflows/discussions/16871', kind: 'report' },
  'GRADLE-IMAGE': { title: 'gradle/docker-gradle Dockerfile (user gradle, /home/gradle/.gradle)', url: 'https://github.com/gradle/docker-gradle/blob/master/jdk21-noble/Dockerfile' },
  'COURSIER-3': { title: 'coursier/coursier#2197 (a race extracting archives in the cache; fixed)', url: 'https://github.com/coursier/coursier/pull/2197', kind: 'report' },
  'COURSIER-2591': { title: 'coursier/coursier#2591 (parallel downloads wiped files freshly written by others, "concurrent download" errors; fixed in November 2022)', url: 'https://github.com/coursier/coursier/pull/2591', kind: 'report' },
  'SBT-3146': { title: 'scala/scala3#3146 (four sbt runs sharing one Ivy cache fail: "Resource deadlock would occur" on .sbt.ivy.lock)', url: 'https://github.com/scala/scala3/issues/3146', kind: 'report' },
  'COURSIER-1': { title: 'Coursier cache documentation (default location)', url: 'https://get-coursier.io/docs/cache#default-location' },
  'COURSIER-2': { title: 'coursier CacheLocks.scala', url: 'https://github.com/coursier/coursier/blob/main/modules/cache/jvm/src/main/scala/coursier/cache/CacheLocks.scala' },
  'IVY-1': { title: 'Apache Ivy lock strategies', url: 'https://ant.apache.org/ivy/history/2.3.0/settings/lock-strategies.html' },
  // Ruby, PHP, .NET
  'RUBY-IMAGE': { title: 'docker-library/ruby Dockerfile (GEM_HOME=/usr/local/bundle)', url: 'https://github.com/docker-library/ruby/blob/master/Dockerfile.template' },
  'GEM-1': { title: 'rubygems remote_fetcher.rb download() (GEM_HOME/cache when writable, else the user\'s gem directory)', url: 'https://github.com/rubygems/rubygems/blob/master/lib/rubygems/remote_fetcher.rb' },
  'BUNDLER-1': { title: 'bundler.rb user_bundle_path (BUNDLE_USER_CACHE)', url: 'https://github.com/rubygems/rubygems/blob/master/bundler/lib/bundler.rb' },
  'BUNDLE-CONFIG': { title: 'bundle-config(1): path, deployment (gems and their downloaded .gem files under PATH/ruby/<ABI version>)', url: 'https://bundler.io/man/bundle-config.1.html' },
  'BUNDLER-2': { title: 'bundler process_lock.rb (lock in the install path)', url: 'https://github.com/rubygems/rubygems/blob/master/bundler/lib/bundler/process_lock.rb' },
  'COMPOSER-1': { title: 'Composer config reference, cache-dir and COMPOSER_HOME', url: 'https://getcomposer.org/doc/06-config.md#cache-dir' },
  'COMPOSER-2': { title: 'Composer Cache.php (non-atomic archive copies; an unwritable cache directory: "Proceeding without cache")', url: 'https://github.com/composer/composer/blob/main/src/Composer/Cache.php' },
  'COMPOSER-3': { title: 'composer/docker Dockerfile (COMPOSER_HOME=/tmp)', url: 'https://github.com/composer/docker/blob/main/latest/Dockerfile' },
  'COMPOSER-XDG': { title: 'Composer Platform.php / Factory.php: XDG directories only when an XDG_ variable is set (or /etc/xdg exists); else ~/.composer', url: 'https://github.com/composer/composer/blob/main/src/Composer/Factory.php' },
  'PHP-IMAGE': { title: 'docker-library/php Dockerfile (PHP_INI_DIR, WORKDIR /var/www/html, user www-data)', url: 'https://github.com/docker-library/php/blob/master/Dockerfile-linux.template' },
  'NUGET-1': { title: 'NuGet global packages and cache folders', url: 'https://learn.microsoft.com/en-us/nuget/consume-packages/managing-the-global-packages-and-cache-folders' },
  'NUGET-2': { title: 'NuGet.Client ConcurrencyUtilities.cs (locks in the temp folder)', url: 'https://github.com/NuGet/NuGet.Client/blob/dev/src/NuGet.Core/NuGet.Common/ConcurrencyUtilities.cs' },
  'UBUNTU-IMAGE': { title: 'Ubuntu 23.04+ images ship a user "ubuntu" (uid 1000, /home/ubuntu)', url: 'https://bugs.launchpad.net/cloud-images/+bug/2005129' },
};

/** The public address of a source tag (undefined for an unknown tag). */
export function sourceUrl(tag: string): string | undefined {
  return SOURCES[tag]?.url;
}
