import { expect } from 'chai';
import fc from 'fast-check';
import { TimerQueue } from '../../../src/core/windows/TimerQueue.js';

describe('core/windows/TimerQueue', () => {
  it('is empty at first', () => {
    const q = new TimerQueue<string>();
    expect(q.size).to.equal(0);
    expect(q.peekDue()).to.equal(Infinity);
    expect(() => q.pop()).to.throw(RangeError);
  });

  it('pops by due time, then by seq', () => {
    const q = new TimerQueue<string>();
    q.push(20, 0, 'c');
    q.push(10, 5, 'b');
    q.push(10, 1, 'a');
    expect([q.pop(), q.pop(), q.pop()]).to.deep.equal(['a', 'b', 'c']);
  });

  it('pops in (due, seq) order on random interleaved pushes and pops (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.integer({ min: -50, max: 50 }), { nil: null }), { maxLength: 200 }), (ops) => {
        const q = new TimerQueue<number>();
        const model: [due: number, seq: number][] = [];
        let seq = 0;
        for (const due of ops) {
          if (due === null) {
            if (model.length === 0) continue;
            model.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
            const [expectedDue, expectedSeq] = model.shift()!;
            expect(q.peekDue()).to.equal(expectedDue);
            expect(q.pop()).to.equal(expectedSeq);
          } else {
            // Few distinct due times, so ties are frequent.
            q.push(due % 7, seq, seq);
            model.push([due % 7, seq++]);
          }
          expect(q.size).to.equal(model.length);
        }
      }),
      { seed: 7, numRuns: 300 },
    );
  });
});
