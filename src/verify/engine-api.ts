/**
 * The few Docker Engine API calls verify needs, over the engine's unix
 * socket: is it there, which build-cache records exist, remove the ones a
 * run created, remove the image a run produced. Nothing else is touched.
 */
import { request } from 'node:http';

export interface CacheRecord {
  ID: string;
  Type?: string;
  Description?: string;
  InUse?: boolean;
}

export class EngineApi {
  constructor(readonly socketPath: string) {}

  /** The socket from DOCKER_HOST (unix:// only) or the default one; undefined for remote engines. */
  static fromEnv(env: NodeJS.ProcessEnv): EngineApi | undefined {
    const host = env.DOCKER_HOST;
    if (!host) return new EngineApi('/var/run/docker.sock');
    if (host.startsWith('unix://')) return new EngineApi(host.slice('unix://'.length));
    return undefined;
  }

  private call<T>(method: string, path: string): Promise<{ status: number; body: T }> {
    return new Promise((resolve, reject) => {
      const req = request({ socketPath: this.socketPath, method, path, timeout: 30_000 }, (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (data += c));
        res.on('end', () => {
          let body: unknown = data;
          try {
            body = data ? JSON.parse(data) : undefined;
          } catch {
            // plain text answer
          }
          resolve({ status: res.statusCode ?? 0, body: body as T });
        });
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer from ${this.socketPath}`)));
      req.on('error', reject);
      req.end();
    });
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.call('GET', '/_ping')).status === 200;
    } catch {
      return false;
    }
  }

  async version(): Promise<{ Version: string; ApiVersion: string } | undefined> {
    try {
      return (await this.call<{ Version: string; ApiVersion: string }>('GET', '/version')).body;
    } catch {
      return undefined;
    }
  }

  /**
   * The engine's build-cache records. Only those are asked for (`type`, API 1.42+; older
   * engines ignore it and list everything): listing images too answered 404 now and then on
   * Docker 28.5 with the containerd store, when an image went away during the listing, so a
   * 404 is asked again twice, a second apart.
   */
  async buildCacheRecords(): Promise<CacheRecord[]> {
    for (let attempt = 1; ; attempt++) {
      const { status, body } = await this.call<{ BuildCache?: CacheRecord[]; message?: string }>('GET', '/system/df?type=build-cache');
      if (status === 200) return body?.BuildCache ?? [];
      if (status !== 404 || attempt === 3) throw new Error(`GET /system/df answered ${status}${body?.message ? ` (${body.message})` : ''}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }

  /** Prunes one record by id (one request each: the engine accepts one value per filter key). */
  async pruneRecord(id: string): Promise<void> {
    const filters = encodeURIComponent(JSON.stringify({ id: [id] }));
    const { status, body } = await this.call('POST', `/build/prune?filters=${filters}`);
    if (status !== 200) throw new Error(`prune ${id}: ${status} ${JSON.stringify(body)}`);
  }

  async removeImage(id: string): Promise<void> {
    const { status, body } = await this.call('DELETE', `/images/${encodeURIComponent(id)}`);
    if (status !== 200 && status !== 404) throw new Error(`remove image ${id}: ${status} ${JSON.stringify(body)}`);
  }
}
