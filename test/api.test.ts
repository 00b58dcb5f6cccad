import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { buildApiReport, formatApiReport, REPORT_PATH } from '../scripts/apiReport.js';

describe('public API report', () => {
  it(`matches the committed ${REPORT_PATH} (run \`npm run api:update\` after a deliberate change)`, function () {
    this.timeout(180_000); // a full type check of src/
    const committed = readFileSync(fileURLToPath(new URL(`../${REPORT_PATH}`, import.meta.url)), 'utf8');
    const current = formatApiReport(buildApiReport());
    if (current !== committed) {
      const a = committed.split('\n');
      const b = current.split('\n');
      const removed = a.filter((line) => !b.includes(line));
      const added = b.filter((line) => !a.includes(line));
      expect.fail(
        `the public API changed without ${REPORT_PATH} being updated; if the change is deliberate, run ` +
          `\`npm run api:update\` and commit the report.\nremoved:\n${removed.join('\n')}\nadded:\n${added.join('\n')}`,
      );
    }
  });

  it('lists every export of each entry point with its declared type', () => {
    const committed = readFileSync(fileURLToPath(new URL(`../${REPORT_PATH}`, import.meta.url)), 'utf8');
    expect(committed).to.match(/## `rekognition-face-stream` \(src\/index\.ts\): \d+ exports/);
    expect(committed).to.match(/## `rekognition-face-stream\/emulator` \(src\/emulator\/index\.ts\): \d+ exports/);
    expect(committed).to.include('function faceDetections: ');
    expect(committed).not.to.include('initialAdaptiveState');
  });
});
