import { expect } from 'chai';
import { InvalidParameterError, parseMot } from '../../src/index.js';

describe('parseMot', () => {
  it('reads comma- or whitespace-separated rows in file order, skipping blank lines', () => {
    const text = '1,3,113.84,274.5,57.307,130.05,-1,-1,-1,-1\r\n\n2 , 4 , 1, 2, 3, 4, 0.5\n3 5 1e1 2 3 4\n';
    expect(parseMot(text)).to.deep.equal([
      { frame: 1, id: 3, left: 113.84, top: 274.5, width: 57.307, height: 130.05, conf: -1 },
      { frame: 2, id: 4, left: 1, top: 2, width: 3, height: 4, conf: 0.5 },
      { frame: 3, id: 5, left: 10, top: 2, width: 3, height: 4, conf: 1 },
    ]);
    expect(parseMot('')).to.deep.equal([]);
    expect(parseMot('1,-1,0,0,1,1,0.9')[0]?.id).to.equal(-1);
  });

  it('names the source and line of a malformed row', () => {
    expect(() => parseMot('1,1,0,0,1,1\n2,1,0,0,1\n')).to.throw(InvalidParameterError, /`text \(line 2\)`.*finite numbers/);
    expect(() => parseMot('1,1,0,0,a,1', { source: 'gt.txt' })).to.throw(InvalidParameterError, /`gt.txt \(line 1\)`/);
    expect(() => parseMot('0,1,0,0,1,1')).to.throw(InvalidParameterError, /frame is an integer >= 1/);
    expect(() => parseMot('1.5,1,0,0,1,1')).to.throw(InvalidParameterError, /frame is an integer >= 1/);
    expect(() => parseMot('1,1.5,0,0,1,1')).to.throw(InvalidParameterError, /id is an integer/);
    expect(() => parseMot(3 as unknown as string)).to.throw(InvalidParameterError, /`text`/);
  });
});
