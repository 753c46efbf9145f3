/**
 * A worker thread of a parallel check run (pool.ts): it says it is ready,
 * does each job it is sent and sends the outcome back, and when told the
 * run is over, runs `atEnd` (the loader's code cache refresh) and says so.
 */
import { createRequire } from 'node:module';
import { runJob, type FileJob } from './jobs.js';
import { errorForMainThread, type WorkerMessage } from './pool.js';

export function lintWorker(atEnd?: () => void): void {
  const { parentPort } = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');
  if (!parentPort) throw new Error('lintWorker() runs in a worker thread');
  const send = (message: WorkerMessage) => parentPort.postMessage(message);
  parentPort.on('message', (message: { id: number; job: FileJob } | { end: true }) => {
    if ('end' in message) {
      atEnd?.();
      send({ ended: true });
      return;
    }
    const { id, job } = message;
    runJob(job).then(
      (outcome) => send({ id, outcome }),
      (err: unknown) => send({ id, error: errorForMainThread(err) }),
    );
  });
  send({ ready: true });
}
