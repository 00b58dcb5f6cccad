import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
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

  it('holds no reference to a removed item (so it can be collected at once, not at the next compaction)', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const q = new ArrayQueue<object>();
    const refs = ((): WeakRef<object>[] => {
      const items = [{ removed: 1 }, { removed: 2 }, { kept: 3 }];
      for (const item of items) q.push(item);
      q.shift();
      q.shift();
      return items.map((item) => new WeakRef(item));
    })();
    // WeakRef targets stay alive until the current job ends: collect in a later one.
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    expect(refs.map((ref) => ref.deref() !== undefined)).to.deep.equal([false, false, true]);
    expect(q.peek()).to.deep.equal({ kept: 3 });
  });
});

