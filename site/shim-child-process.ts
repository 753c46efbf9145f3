/** `node:child_process` in the browser bundle: the playground never asks Docker (src/builds/docker.ts says so when it would). */
export function spawnSync(): { error: Error; status: null; stdout: string; stderr: string } {
  return { error: new Error('the playground cannot run docker'), status: null, stdout: '', stderr: '' };
}
