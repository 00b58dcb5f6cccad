import { type Command, Option } from 'commander';
import {
  createRequestPolicy,
  DEFAULT_ATTEMPT_TIMEOUT,
  formatDurationMs,
  InvalidParameterError,
  type LimiterSettings,
  type PolicyEvent,
  type RequestPolicyOptions,
  type ResilientPolicy,
  type RetryEvent,
} from '../index.js';
import { durationFlag } from './durationFlag.js';

/** The parsed resilience flags (commander camel-cases them). */
export interface PolicyFlags {
  readonly tps?: string;
  readonly burst?: string;
  readonly maxConcurrent?: string;
  readonly retries?: string;
  readonly maxRetryTime?: string;
  readonly attemptTimeout?: string;
  /** `false` with `--no-adaptive`. */
  readonly adaptive?: boolean;
  readonly redis?: string;
  readonly redisId?: string;
  readonly redisFallback?: boolean;
  readonly logRetries?: boolean;
}

/**
 * Adds the resilience flags to a subcommand that sends requests, so every such command has the same ones:
 * `--tps`, `--burst`, `--max-concurrent`, `--retries`, `--max-retry-time`, `--attempt-timeout`, `--no-adaptive`, `--redis URL`,
 * `--redis-id`, `--redis-fallback`, `--log-retries`. Values are validated by {@link policyFromOptions}.
 *
 * @example
 * ```ts
 * import { Command } from 'commander';
 * import { addPolicyOptions } from './policyOptions.js';
 *
 * const command = addPolicyOptions(new Command('detections'));
 * ```
 */
export function addPolicyOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--tps <n>', 'fixed rate limit per operation, requests/s (default: adaptive, no fixed cap)').helpGroup(
        'Rate limit and retries:',
      ),
    )
    .addOption(new Option('--burst <n>', 'requests that may start at once after an idle period (needs --tps)').helpGroup('Rate limit and retries:'))
    .addOption(new Option('--max-concurrent <n>', 'requests in flight at most, per operation').helpGroup('Rate limit and retries:'))
    .addOption(new Option('--retries <n>', 'retries per request after the first attempt').default('10').helpGroup('Rate limit and retries:'))
    .addOption(
      new Option('--max-retry-time <duration>', 'total time budget of one request, attempts and backoffs included (e.g. 2m)').helpGroup(
        'Rate limit and retries:',
      ),
    )
    .addOption(
      new Option(
        '--attempt-timeout <duration>',
        `abort and retry an attempt with no complete response after this long (default ${formatDurationMs(DEFAULT_ATTEMPT_TIMEOUT)})`,
      ).helpGroup('Rate limit and retries:'),
    )
    .addOption(new Option('--no-adaptive', 'do not adapt the rate to throttling (use only --tps)').helpGroup('Rate limit and retries:'))
    .addOption(
      new Option('--redis <url>', 'share the rate limit with other processes through Redis (e.g. redis://127.0.0.1:6379)').helpGroup(
        'Rate limit and retries:',
      ),
    )
    .addOption(new Option('--redis-id <id>', 'namespace of the shared limiter in Redis').default('face-stream').helpGroup('Rate limit and retries:'))
    .addOption(
      new Option(
        '--redis-fallback',
        "if Redis is unreachable or lost, use a local limiter with this process's share of the limit until it is back (default: fail)",
      ).helpGroup(
        'Rate limit and retries:',
      ),
    )
    .addOption(new Option('--log-retries', 'log retries, throttles and rate changes to stderr').helpGroup('Rate limit and retries:'));
}

/**
 * Builds the request policy a subcommand uses from its parsed flags (throws `InvalidParameterError` naming the
 * flag for a bad value, before any request). With `--redis`, a fallback to the local limiter and the return to
 * Redis are always said on stderr. The policy is adaptive unless `--no-adaptive`; call
 * `await policy.close()` when the command is done (it holds the Redis connections of `--redis`).
 *
 * @example
 * ```ts
 * import { policyFromFlags } from './policyOptions.js';
 *
 * const policy = policyFromFlags({ tps: '5', burst: '5' });
 * await policy.close();
 * ```
 */
export function policyFromFlags(flags: PolicyFlags): ResilientPolicy {
  const policyOptions = policyOptionsFromFlags(flags);
  const policy = createRequestPolicy({ ...policyOptions, onRetry: policyOptions.onRetry ?? logFaultRetry });
  if (flags.redis !== undefined) {
    // Always said, --log-retries or not: falling back changes how the rate is shared between processes.
    policy.subscribe((event) => {
      if (event.type === 'limiter-fallback' || event.type === 'limiter-restored') stderrLine(describeEvent(event));
    });
  }
  return policy;
}

/**
 * Without `--log-retries`, retries of faults (5xx, network; not throttles) are still one stderr line each,
 * with their cause: a run is never silent for minutes while it retries a fault.
 */
export function logFaultRetry(event: RetryEvent, log: (line: string) => void = stderrLine): void {
  if (!event.error.throttling) log(describeEvent(event));
}

/** Translates the flags into {@link RequestPolicyOptions} (pure; validates every flag). */
export function policyOptionsFromFlags(flags: PolicyFlags, log: (line: string) => void = stderrLine): RequestPolicyOptions {
  const tps = number('--tps', flags.tps, (v) => v > 0, 'a number > 0 (requests per second)');
  const burst = number('--burst', flags.burst, (v) => Number.isInteger(v) && v >= 1, 'an integer >= 1');
  if (burst !== undefined && tps === undefined) throw new InvalidParameterError('--burst', 'used together with --tps', flags.burst);
  const maxConcurrent = number('--max-concurrent', flags.maxConcurrent, (v) => Number.isInteger(v) && v >= 1, 'an integer >= 1');
  const retries = number('--retries', flags.retries, (v) => Number.isInteger(v) && v >= 0, 'an integer >= 0');
  const maxRetryTime = durationFlag('--max-retry-time', flags.maxRetryTime);
  const attemptTimeout = durationFlag('--attempt-timeout', flags.attemptTimeout, { min: 1 });
  if (flags.adaptive === false && tps === undefined && maxConcurrent === undefined && flags.redis === undefined) {
    log('face-stream: warning: --no-adaptive without --tps or --max-concurrent: requests are not rate limited');
  }
  if (flags.redis !== undefined && !/^rediss?:\/\/./.test(flags.redis)) {
    throw new InvalidParameterError('--redis', 'a redis:// or rediss:// URL', flags.redis);
  }
  const onEvent = flags.logRetries ? (event: PolicyEvent) => log(describeEvent(event)) : undefined;
  return {
    ...(tps !== undefined ? { tps } : {}),
    ...(burst !== undefined ? { burst } : {}),
    ...(maxConcurrent !== undefined ? { maxConcurrent } : {}),
    ...(retries !== undefined ? { retries } : {}),
    ...(maxRetryTime !== undefined ? { maxRetryTime } : {}),
    ...(attemptTimeout !== undefined ? { attemptTimeout } : {}),
    ...(flags.adaptive === false ? { adaptive: false } : {}),
    ...(flags.redis !== undefined
      ? { redis: { url: flags.redis, id: flags.redisId ?? 'face-stream', onError: flags.redisFallback ? 'local' : 'error' } }
      : {}),
    ...(onEvent ? { onRetry: onEvent, onThrottle: onEvent, onRateChange: onEvent } : {}),
  } satisfies RequestPolicyOptions;
}

/** One stderr line for a policy event (never credentials: errors carry only codes and request ids). */
export function describeEvent(event: PolicyEvent): string {
  switch (event.type) {
    case 'retry': {
      const line = `face-stream: ${event.operation} ${event.error.serviceCode}, retry ${event.attempt} in ${event.delayMs} ms`;
      if (event.error.throttling) return line;
      // The cause's first line, or for errors of our own (AttemptTimeout, a page that is not one) what the message says.
      const own = `${event.operation} failed: ${event.error.serviceCode}: `;
      const cause =
        event.error.cause instanceof Error
          ? event.error.cause.message.split('\n')[0]
          : event.error.message.startsWith(own)
            ? event.error.message.slice(own.length)
            : '';
      return cause ? `${line} (${cause})` : line;
    }
    case 'throttle':
      return `face-stream: ${event.operation} throttled (${event.error.serviceCode}); rate ${formatRate(event.rate)}`;
    case 'rate':
      return `face-stream: ${event.operation} rate ${formatRate(event.rate)}`;
    case 'sdk-retries':
      return `face-stream: the SDK retried ${event.operation} (${event.attempts} attempts)`;
    case 'limiter-fallback': {
      const share =
        event.peers === undefined
          ? 'processes sharing it unknown: the whole limit'
          : `fair share of ${event.peers} process${event.peers === 1 ? '' : 'es'}`;
      return (
        `face-stream: warning: ${event.operation}: Redis limiter failed (${event.error.message}); ` +
        `using a local limiter at ${formatLimit(event.limit)} (${share}) until Redis is back`
      );
    }
    case 'limiter-restored':
      return `face-stream: ${event.operation}: Redis is back; sharing the limit through Redis again`;
  }
}

/** A local limit for a message: "2.50 req/s, burst 2, 1 in flight". */
function formatLimit(limit: LimiterSettings): string {
  const parts = [
    ...(limit.tps !== undefined && Number.isFinite(limit.tps) ? [formatRate(limit.tps)] : []),
    ...(limit.burst !== undefined && limit.burst > 1 ? [`burst ${limit.burst}`] : []),
    ...(limit.maxConcurrent !== undefined && Number.isFinite(limit.maxConcurrent) ? [`${limit.maxConcurrent} in flight`] : []),
  ];
  return parts.length > 0 ? parts.join(', ') : 'no fixed limit';
}

function formatRate(rate: number): string {
  return Number.isFinite(rate) ? `${rate.toFixed(2)} req/s` : 'unlimited';
}

function number(flag: string, text: string | undefined, ok: (value: number) => boolean, expected: string): number | undefined {
  if (text === undefined) return undefined;
  const value = text.trim() === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(value) || !ok(value)) throw new InvalidParameterError(flag, expected, text);
  return value;
}

function stderrLine(line: string): void {
  process.stderr.write(`${line}\n`);
}
