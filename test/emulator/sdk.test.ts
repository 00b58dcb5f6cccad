import {
  GetFaceDetectionCommand,
  paginateGetFaceDetection,
  type FaceDetection,
  type GetFaceDetectionCommandOutput,
} from '@aws-sdk/client-rekognition';
import { expect } from 'chai';
import { syntheticVideo } from '../../src/emulator/index.js';
import { withEmulator } from '../helpers/emulator.js';

describe('emulator with the real AWS SDK', () => {
  const ctx = withEmulator({ seed: 42 });

  it("the SDK's paginateGetFaceDetection reads a whole job, identical for every page size", async () => {
    const { client, startJob, emu } = ctx();
    const jobId = await startJob('clips/preset=walkers,duration=30s.mp4', { JobTag: 'tag-1' });
    const read = async (pageSize: number) => {
      const faces: FaceDetection[] = [];
      const pages: GetFaceDetectionCommandOutput[] = [];
      for await (const page of paginateGetFaceDetection({ client, pageSize }, { JobId: jobId })) {
        pages.push(page);
        faces.push(...(page.Faces ?? []));
      }
      return { faces, pages };
    };
    const big = await read(1000);
    const small = await read(37);
    const expected = [...emu.video(jobId).detections()].map((d) => d.detection);
    expect(big.faces.length).to.be.greaterThan(100);
    expect(big.faces).to.deep.equal(expected);
    expect(small.faces).to.deep.equal(expected);
    expect(small.pages.length).to.equal(Math.ceil(expected.length / 37));
    for (const page of small.pages) {
      expect(page.JobStatus).to.equal('SUCCEEDED');
      expect(page.JobId).to.equal(jobId);
      expect(page.JobTag).to.equal('tag-1');
      expect(page.Video?.S3Object?.Name).to.equal('clips/preset=walkers,duration=30s.mp4');
      expect(page.VideoMetadata?.ColorRange).to.equal('LIMITED');
      expect(page.VideoMetadata?.DurationMillis).to.equal(30_000);
    }
    const timestamps = big.faces.map((f) => f.Timestamp!);
    expect(timestamps).to.deep.equal([...timestamps].sort((a, b) => a - b));
  });

  it('content is the pure generator of the seed and object', async () => {
    const { client, startJob, emu } = ctx();
    const jobId = await startJob('preset=interview,duration=5s');
    const page = await client.send(new GetFaceDetectionCommand({ JobId: jobId }));
    const job = emu.jobs()[0]!;
    expect(job.preset).to.equal('interview');
    expect(page.Faces?.length).to.equal(emu.video(jobId).detectionCount());
    expect(page.NextToken).to.equal(undefined);
    const again = syntheticVideo({ seed: 0, preset: 'interview', durationMs: 5000 });
    expect(again.sampleCount).to.equal(emu.video(jobId).sampleCount);
  });

  it('groundTruth gives the true person of every detection, in result order, never in responses', async () => {
    const { client, startJob, emu } = ctx();
    const jobId = await startJob('preset=meeting,duration=20s');
    const page = await client.send(new GetFaceDetectionCommand({ JobId: jobId }));
    const truth = [...emu.groundTruth(jobId)];
    expect(truth).to.have.length(page.Faces!.length);
    truth.forEach((t, i) => {
      expect(t.index).to.equal(i);
      expect(t.timestamp).to.equal(page.Faces![i]!.Timestamp);
    });
    expect(truth.map((t) => t.personId)).to.deep.equal([...emu.video(jobId).detections()].map((d) => d.personId));
    expect(JSON.stringify(page)).to.not.match(/personId/i);
    expect(emu.groundTruthMot(jobId).split('\n')[0]).to.match(/^1,\d+,/);
    expect(() => emu.video('0'.repeat(64))).to.throw(/Unknown or expired job/);
  });
});
