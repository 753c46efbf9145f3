/**
 * How each tool fails when another build holds its cache (package-managers.md,
 * observed-buildkit.md): recognised in BuildKit's plain progress output.
 */
export interface FailureSignature {
  id: string;
  tool: string;
  pattern: RegExp;
  /** What happened, in a few words. */
  meaning: string;
}

export const FAILURE_SIGNATURES: readonly FailureSignature[] = [
  { id: 'apt-archives-lock', tool: 'apt', pattern: /Could not get lock (\S*\/archives\/lock)/, meaning: "another apt holds the archives lock in the shared cache" },
  { id: 'apt-lists-lock', tool: 'apt', pattern: /Could not get lock (\S*\/lists\/lock)/, meaning: "another apt holds the lists lock in the shared cache" },
  { id: 'apt-unable-to-lock', tool: 'apt', pattern: /Unable to lock directory (\S+)/, meaning: 'apt could not lock a cache directory' },
  { id: 'apt-lists-partial', tool: 'apt', pattern: /List directory (\S*\/lists\/partial) is missing\. - Acquire \(17: File exists\)/, meaning: "two apt-get update created lists/partial at once" },
  { id: 'dpkg-frontend-lock', tool: 'dpkg', pattern: /Could not get lock (\S*\/dpkg\/lock(?:-frontend)?)/, meaning: "dpkg's lock is held (a cache mount over /var/lib/dpkg?)" },
  { id: 'dnf-waiting', tool: 'dnf', pattern: /Waiting for process with pid \d+ to finish/, meaning: "dnf waits on a lock file from another container's pid" },
  { id: 'yum-lock', tool: 'yum', pattern: /Another app is currently holding the yum lock/, meaning: 'yum lock held' },
  { id: 'rpm-transaction-lock', tool: 'dnf', pattern: /(?:Failed to obtain|can't create transaction) lock/, meaning: 'the rpm transaction lock is held' },
  { id: 'apk-lock', tool: 'apk', pattern: /Unable to lock database: (?:Resource temporarily unavailable|temporary error)/, meaning: "apk's database lock is held" },
  { id: 'apk-cache-corrupt', tool: 'apk', pattern: /(?:BAD signature|UNTRUSTED signature|file is corrupted|\.apknew)/, meaning: 'a package in the shared apk cache was clobbered' },
  { id: 'cargo-ok-exists', tool: 'cargo', pattern: /\.cargo-ok[^\n]*File exists \(os error 17\)/, meaning: 'two cargo builds unpacked the same crate at once' },
  { id: 'cargo-blocking', tool: 'cargo', pattern: /Blocking waiting for file lock on/, meaning: 'cargo waited for a lock (slow, not a failure)' },
  { id: 'gradle-lock-timeout', tool: 'gradle', pattern: /Timeout waiting to lock [^\n]*It is currently in use by another Gradle instance/, meaning: "gradle waited 60 s for another container's lock" },
  { id: 'maven-corrupt', tool: 'maven', pattern: /(?:Could not transfer artifact[^\n]*\.part|checksum validation failed)/i, meaning: 'two maven runs wrote one local-repository file' },
  { id: 'conda-corrupt', tool: 'conda', pattern: /(?:InvalidArchiveError|CondaVerificationError)/, meaning: 'the shared conda package cache was corrupted' },
  { id: 'npm-cache-eexist', tool: 'npm', pattern: /npm (?:ERR!|error) code EEXIST/, meaning: 'npm cache write conflict' },
  { id: 'pip-cache-race', tool: 'pip', pattern: /(?:No such file or directory: '[^']*\/\.cache\/pip\/|FileExistsError: [^\n]*\.cache\/pip)/, meaning: 'pip cache entry vanished or appeared mid-write' },
  { id: 'permission-denied-cache', tool: 'any', pattern: /Permission denied[^\n]*(?:\/\.cache|\/var\/cache)/, meaning: 'a non-root user cannot write the root-owned cache' },
];

export interface SignatureMatch {
  signature: FailureSignature;
  /** The matching line, as printed. */
  line: string;
}

/** Every signature found in some output, once each, in the order they appear. */
export function findSignatures(output: string): SignatureMatch[] {
  const found: SignatureMatch[] = [];
  const seen = new Set<string>();
  for (const line of output.split('\n')) {
    for (const signature of FAILURE_SIGNATURES) {
      if (seen.has(signature.id) || !signature.pattern.test(line)) continue;
      seen.add(signature.id);
      found.push({ signature, line: line.trim() });
    }
  }
  return found;
}
