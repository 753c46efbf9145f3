export { aptLockUses, APT_PROGRAMS, APT_SYMPTOMS, APT_DEFAULT_DIRS, type CacheLockUse, type AptLockKind } from './apt.js';
