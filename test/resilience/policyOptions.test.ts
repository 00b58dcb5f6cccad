import { expect } from 'chai';
import { Command } from 'commander';
import { addPolicyOptions, describeEvent, policyFromFlags, policyOptionsFromFlags, type PolicyFlags } from '../../src/cli/policyOptions.js';
import { InvalidParameterError, RedisLimiterError, ServiceError } from '../../src/index.js';

function parse(argv: readonly string[]): PolicyFlags {
  const command = addPolicyOptions(new Command('x').exitOverride());
  command.parse([...argv], { from: 'user' });
  return command.opts<PolicyFlags>();
}

describe('cli/policyOptions', () => {
  it('defaults: adaptive, 10 retries, no fixed limit, no Redis', () => {
    expect(policyOptionsFromFlags(parse([]))).to.deep.equal({ retries: 10 });
  });

  it('translates every flag', () => {
    const options = policyOptionsFromFlags(
      parse([
        '--tps', '5', '--burst', '5', '--max-concurrent', '2', '--retries', '3', '--max-retry-time', '60000',
        '--attempt-timeout', '20s', '--no-adaptive', '--redis', 'redis://127.0.0.1:6379', '--redis-id', 'prod', '--redis-fallback',
      ]),
    );
    expect(options).to.deep.equal({
      tps: 5,
      burst: 5,
      maxConcurrent: 2,
      retries: 3,
      maxRetryTime: 60000,
      attemptTimeout: 20_000,
      adaptive: false,
      redis: { url: 'redis://127.0.0.1:6379', id: 'prod', onError: 'local' },
    });
  });

  for (const [argv, flag] of [
    [['--tps', '-1'], '--tps'],
    [['--tps', 'fast'], '--tps'],
    [['--tps', '0'], '--tps'],
    [['--burst', '3'], '--burst'],
    [['--tps', '5', '--burst', '1.5'], '--burst'],
    [['--max-concurrent', '0'], '--max-concurrent'],
    [['--retries', '-2'], '--retries'],
    [['--max-retry-time', 'x'], '--max-retry-time'],
    [['--max-retry-time', '-5'], '--max-retry-time'],
    [['--attempt-timeout', '0'], '--attempt-timeout'],
    [['--attempt-timeout', '10 minutes'], '--attempt-timeout'],
    [['--redis', 'localhost:6379'], '--redis'],
  ] as const) {
    it(`${argv.join(' ')} → InvalidParameterError naming ${flag}`, () => {
      expect(() => policyOptionsFromFlags(parse(argv)))
        .to.throw(InvalidParameterError)
        .with.property('parameter', flag);
    });
  }

  it('durations take a unit: --max-retry-time 2m, --attempt-timeout 1.5s', () => {
    expect(policyOptionsFromFlags(parse(['--max-retry-time', '2m', '--attempt-timeout', '1.5s']))).to.include({
      maxRetryTime: 120_000,
      attemptTimeout: 1500,
    });
  });

  it('--log-retries logs retries, throttles and rate changes as one line each', () => {
    const lines: string[] = [];
    const options = policyOptionsFromFlags(parse(['--log-retries']), (line) => lines.push(line));
    const error = new ServiceError('x', { serviceCode: 'ThrottlingException', operation: 'GetFaceDetection', retryable: true, throttling: true });
    options.onRetry?.({ type: 'retry', operation: 'GetFaceDetection', attempt: 1, delayMs: 420, error });
    options.onThrottle?.({ type: 'throttle', operation: 'GetFaceDetection', error, rate: 8 });
    options.onRateChange?.({ type: 'rate', operation: 'GetFaceDetection', rate: Infinity });
    expect(lines).to.deep.equal([
      'face-stream: GetFaceDetection ThrottlingException, retry 1 in 420 ms',
      'face-stream: GetFaceDetection throttled (ThrottlingException); rate 8.00 req/s',
      'face-stream: GetFaceDetection rate unlimited',
    ]);
    expect(describeEvent({ type: 'sdk-retries', operation: 'GetFaceDetection', attempts: 3 })).to.contain('3 attempts');
  });

  it('warns when nothing would limit the rate', () => {
    const lines: string[] = [];
    policyOptionsFromFlags(parse(['--no-adaptive']), (line) => lines.push(line));
    expect(lines[0]).to.match(/not rate limited/);
  });

  it('describes a Redis fallback (with the local share) and the return to Redis, one line each', () => {
    const error = new RedisLimiterError('lost', '127.0.0.1:6379', 'connection closed');
    expect(
      describeEvent({ type: 'limiter-fallback', operation: 'GetFaceDetection', error, peers: 2, limit: { tps: 2.5, burst: 2, maxConcurrent: 1 } }),
    ).to.equal(
      `face-stream: warning: GetFaceDetection: Redis limiter failed (${error.message}); using a local limiter at ` +
        '2.50 req/s, burst 2, 1 in flight (fair share of 2 processes) until Redis is back',
    );
    expect(describeEvent({ type: 'limiter-fallback', operation: 'GetFaceDetection', error, peers: undefined, limit: {} })).to.contain(
      'at no fixed limit (processes sharing it unknown: the whole limit)',
    );
    expect(describeEvent({ type: 'limiter-restored', operation: 'GetFaceDetection', peers: 2 })).to.equal(
      'face-stream: GetFaceDetection: Redis is back; sharing the limit through Redis again',
    );
  });

  it('policyFromFlags builds a working policy', async () => {
    const policy = policyFromFlags(parse(['--tps', '100']));
    expect(await policy.execute({ operation: 'GetFaceDetection', attempt: async () => 'ok' })).to.equal('ok');
    await policy.close();
  });
});
