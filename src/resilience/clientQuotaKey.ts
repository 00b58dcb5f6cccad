import { createHash } from 'node:crypto';
import type { RekognitionLike } from '../types.js';

type Provider<T> = T | (() => T | Promise<T>) | undefined;

interface ClientConfigLike {
  readonly region?: Provider<string>;
  readonly credentials?: Provider<{ readonly accessKeyId?: string }>;
  readonly endpoint?: Provider<unknown>;
}

/**
 * The quota a client's requests count against, as a key: region, custom endpoint (if any) and a short
 * SHA-256 of the access key id — never the key itself. Resolves the SDK's lazy providers; parts that cannot
 * be resolved become `default`.
 *
 * @example
 * ```ts
 * import { RekognitionClient } from '@aws-sdk/client-rekognition';
 * import { clientQuotaKey } from './clientQuotaKey.js';
 *
 * const key = await clientQuotaKey(new RekognitionClient({ region: 'eu-west-1' }));
 * ```
 */
export async function clientQuotaKey(client: RekognitionLike): Promise<string> {
  const config = (client as { config?: ClientConfigLike }).config;
  const [region, credentials, endpoint] = await Promise.all([
    resolve(config?.region),
    resolve(config?.credentials),
    resolve(config?.endpoint),
  ]);
  const accessKeyId = credentials?.accessKeyId;
  const account = accessKeyId ? createHash('sha256').update(accessKeyId).digest('hex').slice(0, 12) : 'default';
  const parts = [account, typeof region === 'string' ? region : 'default'];
  const url = endpointUrl(endpoint);
  if (url) parts.push(url);
  return parts.join(':');
}

async function resolve<T>(provider: Provider<T>): Promise<T | undefined> {
  try {
    return typeof provider === 'function' ? await (provider as () => T | Promise<T>)() : provider;
  } catch {
    return undefined;
  }
}

function endpointUrl(endpoint: unknown): string | undefined {
  if (typeof endpoint === 'string') return endpoint;
  if (endpoint instanceof URL) return endpoint.href;
  const e = endpoint as { url?: URL; hostname?: string; port?: number; protocol?: string; path?: string } | undefined;
  if (e?.url instanceof URL) return e.url.href;
  if (e?.hostname) return `${e.protocol ?? 'https:'}//${e.hostname}${e.port ? `:${e.port}` : ''}${e.path ?? ''}`;
  return undefined;
}
