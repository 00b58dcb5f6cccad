import { expect } from 'chai';
import { evaluateMot, formatMetricsTable, InvalidParameterError, parseMot } from '../../src/index.js';

describe('formatMetricsTable', () => {
  const gt = parseMot('1,1,0,0,10,10,1\n2,1,0,0,10,10,1\n3,1,0,0,10,10,1\n');
  const pred = parseMot('1,1,0,0,10,10,1\n2,2,0,0,10,10,1\n');

  it('prints one aligned row per name, ratios as percentages with `digits` decimals', () => {
    const m = evaluateMot(gt, pred);
    const lines = formatMetricsTable({ 'a long sequence name': m, b: evaluateMot(gt, gt) }, { digits: 1 }).split('\n');
    expect(lines).to.have.length(3);
    expect(new Set(lines.map((l) => l.length)).size).to.equal(1, 'columns aligned');
    const cells = lines[1]!.split(/\s{2,}/);
    expect(cells[0]).to.equal('a long sequence name');
    expect(cells.slice(1)).to.deep.equal([
      ...[m.HOTA, m.DetA, m.AssA, m.LocA, m.IDF1, m.IDP, m.IDR, m.MOTA, m.MOTP].map((v) => (100 * v).toFixed(1)),
      ...['1', '0', '0', '1', '0', '0', '1'], // IDSW Frag MT PT ML FP FN
    ]);
    expect(lines[2]!.split(/\s+/).slice(1, 3)).to.deep.equal(['100.0', '100.0']);
  });

  it('validates its arguments', () => {
    expect(() => formatMetricsTable([] as never)).to.throw(InvalidParameterError, /`rows`/);
    expect(() => formatMetricsTable({}, { digits: 11 })).to.throw(InvalidParameterError, /`digits`/);
    expect(formatMetricsTable({}).split('\n')).to.have.length(1);
  });
});
