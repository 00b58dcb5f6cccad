import { expect } from 'chai';
import fc from 'fast-check';
import { leadingDuration, parseDurationMs } from '../../src/core/duration.js';

describe('core/duration', () => {
  it('parses a number with an optional unit into whole ms', () => {
    expect(parseDurationMs('250')).to.equal(250);
    expect(parseDurationMs('90000ms')).to.equal(90_000);
    expect(parseDurationMs('10s')).to.equal(10_000);
    expect(parseDurationMs('10m')).to.equal(600_000);
    expect(parseDurationMs('1.5h')).to.equal(5_400_000);
    expect(parseDurationMs(' 2 S ')).to.equal(2000);
    expect(parseDurationMs('0')).to.equal(0);
    expect(parseDurationMs('0.4ms')).to.equal(0);
  });

  it('refuses anything else with one line naming the expected form', () => {
    for (const bad of ['', ' ', '-1', '1e3', '10x', '10 minutes', 'ms', '1.', '.5s', 'Infinity', '9'.repeat(20)]) {
      expect(() => parseDurationMs(bad), bad).to.throw(RangeError, /^Expected a duration: .*; got ".*"\.$/);
    }
    expect(() => parseDurationMs('abc')).to.throw(RangeError).with.property('message').that.does.not.include('\n');
  });

  it('agrees with the unit table for every whole number', () => {
    const units = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
    fc.assert(
      fc.property(fc.nat(1_000_000), fc.constantFrom('', 'ms', 's', 'm', 'h'), (n, unit) => {
        expect(parseDurationMs(`${n}${unit}`)).to.equal(n * (unit === '' ? 1 : units[unit]));
      }),
      { seed: 10 },
    );
  });

  it('finds the duration at the start of a longer text', () => {
    expect(leadingDuration('10m.mp4')).to.equal('10m');
    expect(leadingDuration('1.5h/x.mov')).to.equal('1.5h');
    expect(leadingDuration('90000')).to.equal('90000');
    expect(leadingDuration('x10s')).to.equal(undefined);
  });
});
