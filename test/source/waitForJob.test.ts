import { expect } from 'chai';
import { JobNotReadyError } from '../../src/errors/JobNotReadyError.js';
import { WAIT_FOR_JOB_DEFAULTS, waitingForJob } from '../../src/source/waitForJob.js';
import { VirtualClock } from '../helpers/VirtualClock.js';
import { fakeJob, makeDetections } from './fakeJob.js';

const signal = new AbortController().signal;

describe('waitingForJob (IN_PROGRESS polling)', () => {
  it('polls with exponential backoff on the injected clock until the job succeeds', async () => {
    const clock = new VirtualClock();
    const job = fakeJob({ detections: makeDetections(3), pageSize: 10, inProgress: 6 });
    let polls = 0;
    const get = waitingForJob(job.getPage, { jobId: 'job-1', wait: WAIT_FOR_JOB_DEFAULTS, clock, onPoll: () => polls++ });
    const result = get(undefined, signal);
    await clock.runAll();
    expect((await result).Faces).to.have.length(3);
    expect(clock.sleeps).to.deep.equal([1000, 2000, 4000, 8000, 16000, 30000]);
    expect(polls).to.equal(6);
    expect(job.requests).to.have.length(7);
  });

  it('fails fast with JobNotReadyError when waiting is off', async () => {
    const clock = new VirtualClock();
    const job = fakeJob({ detections: [], pageSize: 10, inProgress: 1 });
    const get = waitingForJob(job.getPage, { jobId: 'job-1', wait: undefined, clock });
    let caught: unknown;
    await get(undefined, signal).catch((e: unknown) => (caught = e));
    expect(caught).to.be.instanceOf(JobNotReadyError);
    expect((caught as JobNotReadyError).waited).to.equal(0);
    expect(clock.sleeps).to.deep.equal([]);
  });

  it('gives up after the timeout', async () => {
    const clock = new VirtualClock();
    const job = fakeJob({ detections: [], pageSize: 10, inProgress: 1000 });
    const get = waitingForJob(job.getPage, {
      jobId: 'job-1',
      wait: { timeout: 5000, minDelay: 1000, maxDelay: 4000, factor: 2 },
      clock,
    });
    let caught: unknown;
    const done = get(undefined, signal).catch((e: unknown) => (caught = e));
    await clock.runAll();
    await done;
    expect(caught).to.be.instanceOf(JobNotReadyError);
    expect(clock.sleeps).to.deep.equal([1000, 2000, 2000]);
    expect((caught as JobNotReadyError).waited).to.equal(5000);
  });

  it('an abort ends the wait at once', async () => {
    const clock = new VirtualClock();
    const controller = new AbortController();
    const job = fakeJob({ detections: [], pageSize: 10, inProgress: 1000 });
    const get = waitingForJob(job.getPage, { jobId: 'job-1', wait: WAIT_FOR_JOB_DEFAULTS, clock });
    let caught: unknown;
    const done = get(undefined, controller.signal).catch((e: unknown) => (caught = e));
    await clock.settle();
    controller.abort();
    await done;
    expect((caught as Error).name).to.equal('AbortError');
    expect(clock.pending).to.equal(0);
  });
});
