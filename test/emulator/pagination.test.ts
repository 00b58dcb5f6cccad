import { GetFaceDetectionCommand, type GetFaceDetectionCommandOutput } from '@aws-sdk/client-rekognition';
import { expect } from 'chai';
import { startTestEmulator, withEmulator, type TestEmulator } from '../helpers/emulator.js';
import { VirtualClock } from '../helpers/VirtualClock.js';
import { failure } from './failure.js';

describe('emulator pagination', () => {
  const ctx = withEmulator({ seed: 5 });
  const get = (t: TestEmulator, input: { JobId: string; MaxResults?: number; NextToken?: string }) =>
    t.client.send(new GetFaceDetectionCommand(input));

  it('MaxResults defaults to 1000 and is clamped to 1000', async () => {
    const t = ctx();
    const jobId = await t.startJob('preset=meeting,duration=5m');
    const total = t.emu.video(jobId).detectionCount();
    expect(total).to.be.greaterThan(2000);
    const byDefault = await get(t, { JobId: jobId });
    expect(byDefault.Faces).to.have.length(1000);
    const clamped = await get(t, { JobId: jobId, MaxResults: 5000 });
    expect(clamped.Faces).to.have.length(1000);
    expect(clamped.Faces).to.deep.equal(byDefault.Faces);
    expect(clamped.NextToken).to.be.a('string');
    expect(clamped.NextToken!.length).to.be.at.most(255);
  });

  it('page boundaries: exact multiples end without a NextToken; "" is the first page', async () => {
    const t = ctx();
    const jobId = await t.startJob('preset=interview,duration=6s');
    const total = t.emu.video(jobId).detectionCount();
    const all = await get(t, { JobId: jobId, MaxResults: total });
    expect(all.Faces).to.have.length(total);
    expect(all.NextToken).to.equal(undefined);
    const minusOne = await get(t, { JobId: jobId, MaxResults: total - 1 });
    expect(minusOne.NextToken).to.be.a('string');
    const last = await get(t, { JobId: jobId, MaxResults: 5, NextToken: minusOne.NextToken! });
    expect(last.Faces).to.deep.equal(all.Faces!.slice(total - 1));
    expect(last.NextToken).to.equal(undefined);
    const empty = await get(t, { JobId: jobId, MaxResults: 2, NextToken: '' });
    expect(empty.Faces).to.deep.equal(all.Faces!.slice(0, 2));
  });

  it('changing MaxResults between pages continues at the same position', async () => {
    const t = ctx();
    const jobId = await t.startJob('preset=walkers,duration=20s');
    const all = (await get(t, { JobId: jobId })).Faces!;
    const got = [];
    let token: string | undefined;
    const sizes = [1, 7, 50, 3, 1000];
    let i = 0;
    do {
      const page: GetFaceDetectionCommandOutput = await get(t, {
        JobId: jobId,
        MaxResults: sizes[i++ % sizes.length]!,
        ...(token ? { NextToken: token } : {}),
      });
      got.push(...page.Faces!);
      token = page.NextToken;
    } while (token);
    expect(got).to.deep.equal(all);
  });

  it('tampered, foreign and malformed tokens are rejected (never a restart at page 1)', async () => {
    const t = ctx();
    const a = await t.startJob('preset=meeting,duration=20s');
    const b = await t.startJob('preset=meeting,duration=21s');
    const page = await get(t, { JobId: a, MaxResults: 10 });
    const token = page.NextToken!;
    const flipped = token[3] === 'A' ? `${token.slice(0, 3)}B${token.slice(4)}` : `${token.slice(0, 3)}A${token.slice(4)}`;
    for (const bad of [flipped, `${token}x`, token.slice(0, -4), 'not a token', 'QUJD', 'x'.repeat(255)]) {
      const err = await failure(() => get(t, { JobId: a, NextToken: bad }));
      expect(err.name, bad).to.equal('InvalidPaginationTokenException');
    }
    const foreign = await failure(() => get(t, { JobId: b, NextToken: token }));
    expect(foreign.name).to.equal('InvalidPaginationTokenException');
    const other = await startTestEmulator({ seed: 5 });
    try {
      const same = await other.startJob('preset=meeting,duration=20s');
      const err = await failure(() => get(other, { JobId: same, NextToken: token }));
      expect(err.name).to.equal('InvalidPaginationTokenException');
    } finally {
      await other.close();
    }
    const tooLong = await failure(() => get(t, { JobId: a, NextToken: 'x'.repeat(256) }));
    expect(tooLong.name).to.equal('InvalidParameterException');
    // The valid token still works.
    expect((await get(t, { JobId: a, MaxResults: 10, NextToken: token })).Faces).to.have.length(10);
  });

  it('tokens expire after tokenTtlMs', async () => {
    const clock = new VirtualClock();
    const t = await startTestEmulator({ clock, tokenTtlMs: 60_000 });
    try {
      const jobId = await t.startJob();
      const token = (await get(t, { JobId: jobId, MaxResults: 5 })).NextToken!;
      await clock.advance(60_000);
      expect((await get(t, { JobId: jobId, MaxResults: 5, NextToken: token })).Faces).to.have.length(5);
      await clock.advance(1);
      const err = await failure(() => get(t, { JobId: jobId, NextToken: token }));
      expect(err.name).to.equal('InvalidPaginationTokenException');
      expect(err.message).to.contain('expired');
    } finally {
      await t.close();
    }
  });

  it('DEFAULT pages carry only BoundingBox, Landmarks (5), Pose, Quality, Confidence; ALL the full FaceDetail', async () => {
    const t = ctx();
    const d = await get(t, { JobId: await t.startJob('preset=interview,duration=2s'), MaxResults: 1 });
    expect(Object.keys(d.Faces![0]!.Face!)).to.deep.equal(['BoundingBox', 'Landmarks', 'Pose', 'Quality', 'Confidence']);
    expect(d.Faces![0]!.Face!.Landmarks!.map((l) => l.Type)).to.deep.equal([
      'eyeLeft',
      'eyeRight',
      'mouthLeft',
      'mouthRight',
      'nose',
    ]);
    const all = await get(t, {
      JobId: await t.startJob('preset=interview,duration=2s', { FaceAttributes: 'ALL' }),
      MaxResults: 1,
    });
    const face = all.Faces![0]!.Face!;
    expect(Object.keys(face)).to.deep.equal([
      'BoundingBox',
      'AgeRange',
      'Smile',
      'Eyeglasses',
      'Sunglasses',
      'Gender',
      'Beard',
      'Mustache',
      'EyesOpen',
      'MouthOpen',
      'Emotions',
      'Landmarks',
      'Pose',
      'Quality',
      'Confidence',
    ]);
    expect(face.Landmarks).to.have.length(30);
    expect(face.Emotions).to.have.length(8);
    expect(face.FaceOccluded).to.equal(undefined);
    expect(face.EyeDirection).to.equal(undefined);
  });
});
