import { expect } from 'chai';
import fc from 'fast-check';
import { ArrayQueue } from '../../src/core/ArrayQueue.js';

describe('core/ArrayQueue', () => {
  it('is first in, first out, with at/peek/peekLast relative to the head', () => {
    const q = new ArrayQueue<string>();
    expect(q.shift()).to.equal(undefined);
    expect(q.peek()).to.equal(undefined);
    q.push('a');
    q.push('b');
    q.push('c');
    expect(q.shift()).to.equal('a');
    expect(q.length).to.equal(2);
    expect([q.at(0), q.at(1), q.at(2), q.at(-1)]).to.deep.equal(['b', 'c', undefined, undefined]);
    expect([q.peek(), q.peekLast()]).to.deep.equal(['b', 'c']);
  });

  it('behaves like Array push/shift and keeps memory bounded by the queued items (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3000 }), { maxLength: 20 }), (ops) => {
        const q = new ArrayQueue<number>();
        const reference: number[] = [];
        let next = 0;
        for (const n of ops) {
          // Even: push n items; odd: shift n items.
          for (let i = 0; i < n; i++) {
            if (n % 2 === 0) {
              q.push(next);
              reference.push(next++);
            } else {
              expect(q.shift()).to.equal(reference.shift());
            }
          }
          expect(q.length).to.equal(reference.length);
          expect(q.peek()).to.equal(reference[0]);
          expect(q.peekLast()).to.equal(reference[reference.length - 1]);
          expect(q.retained).to.be.at.most(reference.length + Math.max(1024, reference.length) + 1);
        }
      }),
      { seed: 12, numRuns: 40 },
    );
  });
});
