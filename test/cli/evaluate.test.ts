import { expect } from 'chai';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureCli as run } from '../helpers/captureCli.js';
import { combineMetrics, evaluateMot, parseMot, type MotMetrics } from '../../src/index.js';

// Object 1 is tracked throughout by id 7 then id 8 (one switch); object 2 is missed in frame 3; one false positive.
const GT = ['1,1,10,10,20,40,1', '2,1,12,10,20,40,1', '3,1,14,10,20,40,1', '1,2,100,10,20,40,1', '3,2,104,10,20,40,1'];
const PRED = ['1,7,10,11,20,40,-1', '2,7,12,11,20,40,-1', '3,8,14,11,20,40,-1', '1,9,101,10,20,40,-1', '2,5,300,300,9,9,-1'];

describe('cli: face-stream evaluate', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'face-stream-evaluate-'));
    await mkdir(join(dir, 'SEQ-A', 'gt'), { recursive: true });
    await writeFile(join(dir, 'SEQ-A', 'gt', 'gt.txt'), GT.join('\n'));
    await writeFile(join(dir, 'SEQ-A', 'seqinfo.ini'), '[Sequence]\nname=SEQ-A\nseqLength=10\n');
    await writeFile(join(dir, 'a-pred.txt'), PRED.join('\n'));
    await writeFile(join(dir, 'b-gt.txt'), GT.slice(0, 3).join('\n'));
    await writeFile(join(dir, 'b-pred.txt'), PRED.slice(0, 2).join('\n'));
    await writeFile(join(dir, 'broken.txt'), '1,1,10,10,20,40,1\n2,x,1,1,1,1,1\n');
    await writeFile(join(dir, 'negative-id.txt'), '1,1,10,10,20,40,1\n2,-3,1,1,1,1,1\n');
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const expectedA = (): MotMetrics => evaluateMot(parseMot(GT.join('\n')), parseMot(PRED.join('\n')), { numFrames: 10 });
  const expectedB = (): MotMetrics =>
    evaluateMot(parseMot(GT.slice(0, 3).join('\n')), parseMot(PRED.slice(0, 2).join('\n')));

  it('prints a table named after the sequence folder, frame count from seqinfo.ini', async () => {
    const { code, stdout, stderr } = await run('evaluate', '--gt', join(dir, 'SEQ-A', 'gt', 'gt.txt'), '--pred', join(dir, 'a-pred.txt'));
    expect(stderr).to.equal('');
    expect(code).to.equal(0);
    const [header, row, extra] = stdout.trimEnd().split('\n');
    expect(extra).to.equal(undefined);
    expect(header?.split(/\s+/)).to.deep.equal(
      'Sequence HOTA DetA AssA LocA IDF1 IDP IDR MOTA MOTP IDSW Frag MT PT ML FP FN'.split(' '),
    );
    const m = expectedA();
    expect(m.IDSW).to.equal(1);
    expect(m.CLR_Frames).to.equal(10);
    expect(row?.split(/\s+/)).to.deep.equal([
      'SEQ-A',
      ...[m.HOTA, m.DetA, m.AssA, m.LocA, m.IDF1, m.IDP, m.IDR, m.MOTA, m.MOTP].map((v) => (100 * v).toFixed(2)),
      ...[m.IDSW, m.Frag, m.MT, m.PT, m.ML, m.CLR_FP, m.CLR_FN].map(String),
    ]);
  });

  it('--format json prints every metric per sequence and a COMBINED entry for several pairs', async () => {
    const { code, stdout } = await run(
      'evaluate',
      '--gt',
      join(dir, 'SEQ-A', 'gt', 'gt.txt'),
      '--pred',
      join(dir, 'a-pred.txt'),
      '--gt',
      join(dir, 'b-gt.txt'),
      '--pred',
      join(dir, 'b-pred.txt'),
      '--format',
      'json',
    );
    expect(code).to.equal(0);
    const parsed = JSON.parse(stdout) as Record<string, MotMetrics>;
    expect(Object.keys(parsed)).to.deep.equal(['SEQ-A', 'b-gt', 'COMBINED']);
    const a = expectedA();
    const b = expectedB();
    expect(parsed['SEQ-A']).to.deep.equal(JSON.parse(JSON.stringify(a)));
    expect(parsed['b-gt']).to.deep.equal(JSON.parse(JSON.stringify(b)));
    expect(parsed.COMBINED).to.deep.equal(JSON.parse(JSON.stringify(combineMetrics([a, b]))));
  });

  it('fails with one line naming the option when files are missing, unpaired or malformed', async () => {
    const missing = await run('evaluate', '--gt', join(dir, 'nope.txt'), '--pred', join(dir, 'a-pred.txt'));
    expect(missing.code).to.equal(1);
    expect(missing.stdout).to.equal('');
    expect(missing.stderr).to.match(/^face-stream: Expected `--gt .*nope\.txt` to be a readable MOT file, got "ENOENT"\.\n$/);

    const unpaired = await run('evaluate', '--gt', join(dir, 'b-gt.txt'), '--pred', join(dir, 'b-pred.txt'), '--gt', join(dir, 'b-gt.txt'));
    expect(unpaired.code).to.equal(1);
    expect(unpaired.stderr).to.match(/`--pred` to be given once per --gt \(2 times\)/);

    const broken = await run('evaluate', '--gt', join(dir, 'b-gt.txt'), '--pred', join(dir, 'broken.txt'));
    expect(broken.code).to.equal(1);
    expect(broken.stderr).to.match(/`--pred .*broken\.txt \(line 2\)`/);

    const negative = await run('evaluate', '--gt', join(dir, 'b-gt.txt'), '--pred', join(dir, 'negative-id.txt'));
    expect(negative.code).to.equal(1);
    expect(negative.stderr).to.match(/^face-stream: --pred .*negative-id\.txt \(row 2\): Expected `pred\[1\]\.id` to be an integer >= 0, got -3\.\n$/);
  });
});
