import { expect } from 'chai';
import { createRequestPolicy, faceDetections, type RequestPolicyOptions, ServiceError } from '../../src/index.js';
import { createTestClient, startTestEmulator, type TestEmulator } from '../helpers/emulator.js';

/** Streams every job concurrently through `policy`; returns the detection counts (throws on a failed stream). */
async function streamAll(t: TestEmulator, jobIds: readonly string[], policyOptions: RequestPolicyOptions, maxResults = 10) {
  const policy = createRequestPolicy({ random: () => 0, ...policyOptions }); // jitter 0: no waiting in tests
  try {
    const counts = await Promise.all(
      jobIds.map(async (jobId) => {
        let n = 0;
        for await (const _ of faceDetections({ client: t.client, jobId, maxResults, policy })) n++;
        return n;
      }),
    );
    return { counts, stats: policy.stats };
  } finally {
    await policy.close();
  }
}

describe('resilience against the emulator (real SDK over loopback)', () => {
  let t: TestEmulator | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('under an account TPS quota, concurrent streams lose nothing and fail nothing (adaptive, no TPS given)', async () => {
    t = await startTestEmulator({ seed: 3, faults: { tps: { GetFaceDetection: { rate: 40, burst: 4 } } } });
    const jobIds = [
      await t.startJob('preset=meeting,duration=10s/a.mp4'),
      await t.startJob('preset=interview,duration=10s/b.mp4'),
      await t.startJob('preset=walkers,duration=10s/c.mp4'),
    ];
    const { counts, stats } = await streamAll(t, jobIds, {});
    expect(counts).to.deep.equal(jobIds.map((id) => t!.emu.video(id).detectionCount()));
    const served = t.emu.counters();
    expect(served.throttled, 'the quota was hit').to.be.greaterThan(0);
    expect(stats.throttled).to.equal(served.throttled);
    expect(stats.retries).to.equal(served.throttled);
    expect(stats.failed).to.equal(0);
    expect(stats.rates['GetFaceDetection']).to.be.lessThan(Infinity); // it adapted
  });

  it('random throttles of both names on top of a quota: every detection arrives, throttles judged background', async function () {
    // Real time: 30 % of the requests are throttled and each waits out a jittered backoff (unseeded), so the
    // length varies: 9 s before the trial windows of the adaptive rate, 12–36 s with them (issue 11: a short
    // stream under random throttles is slowed; see docs/resilience.md). The outcome is asserted, not the time.
    this.timeout(120_000);
    t = await startTestEmulator({
      seed: 5,
      faults: {
        tps: { GetFaceDetection: { rate: 200, burst: 20 } },
        random: { throttle: 0.15, provisioned: 0.15, operations: ['GetFaceDetection'] },
      },
    });
    const jobIds = [await t.startJob('preset=meeting,duration=10s/a.mp4'), await t.startJob('preset=walkers,duration=10s/b.mp4')];
    const causes: string[] = [];
    const { counts, stats } = await streamAll(t, jobIds, { onThrottle: (e) => causes.push(e.cause ?? 'none') }, 5);
    expect(counts).to.deep.equal(jobIds.map((id) => t!.emu.video(id).detectionCount()));
    expect(stats.failed).to.equal(0);
    const faults = new Set(t.emu.requests().map((entry) => entry.fault));
    expect(faults, 'both names were injected').to.include.members(['throttle', 'provisioned']);
    expect(causes.length).to.equal(stats.throttled);
    expect(causes.filter((c) => c === 'background').length, causes.join(',')).to.be.greaterThan(0);
  });

  it('retries Throttling (400 and 500), InternalServerError and dropped connections, then completes', async () => {
    t = await startTestEmulator({
      seed: 4,
      faults: {
        script: [
          { operation: 'GetFaceDetection', fault: 'throttle' },
          { operation: 'GetFaceDetection', fault: 'throttle-500' },
          { operation: 'GetFaceDetection', fault: 'provisioned' },
          { operation: 'GetFaceDetection', fault: 'internal' },
          { operation: 'GetFaceDetection', fault: 'drop' },
        ],
      },
    });
    const jobId = await t.startJob('preset=meeting,duration=10s.mp4');
    const { counts, stats } = await streamAll(t, [jobId], {});
    t.emu.faults.assertAllConsumed();
    expect(counts).to.deep.equal([t.emu.video(jobId).detectionCount()]);
    expect(stats).to.include({ retries: 5, throttled: 3, failed: 0 });
  });

  it('fails fast with the typed error for a non-retryable answer', async () => {
    t = await startTestEmulator({
      seed: 5,
      faults: {
        script: [{ operation: 'GetFaceDetection', fault: 'error', error: { type: 'AccessDeniedException', status: 400 } }],
      },
    });
    const jobId = await t.startJob();
    const error = await streamAll(t, [jobId], {}).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ServiceError);
    expect((error as ServiceError).serviceCode).to.equal('AccessDeniedException');
    expect(t.emu.counters().byOperation['GetFaceDetection']).to.equal(1);
  });

  it('warns once when a user-supplied SDK client retried underneath the policy', async () => {
    t = await startTestEmulator({
      seed: 6,
      faults: { script: [{ operation: 'GetFaceDetection', fault: 'internal', times: 2 }] },
    });
    const jobId = await t.startJob();
    const sdkRetrying = createTestClient(t.emu.endpoint, { maxAttempts: 3 });
    const warnings: string[] = [];
    const policy = createRequestPolicy({ warn: (m) => warnings.push(m) });
    try {
      let n = 0;
      for await (const _ of faceDetections({ client: sdkRetrying, jobId, maxResults: 50, policy })) n++;
      expect(n).to.equal(t.emu.video(jobId).detectionCount());
      expect(warnings).to.have.length(1);
      expect(warnings[0]).to.match(/retried GetFaceDetection \(3 attempts\).*maxAttempts: 1/);
      expect(policy.stats.retries).to.equal(0); // the SDK did them, not us
    } finally {
      await policy.close();
      sdkRetrying.destroy();
    }
  });
});
