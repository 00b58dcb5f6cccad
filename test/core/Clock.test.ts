import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { systemClock } from '../../src/core/Clock.js';

const run = promisify(execFile);
const clockModule = fileURLToPath(new URL('../../src/core/Clock.ts', import.meta.url));

describe('core/Clock systemClock', () => {
  it('keeps the process alive while a sleep is pending (a real process that only awaits a sleep)', async () => {
    const script = `const { systemClock } = await import(${JSON.stringify(clockModule)});
await systemClock.sleep(20);
process.stdout.write('woke');`;
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]);
    expect(stdout).to.equal('woke');
  });

  it('rejects with the abort reason and clears its timer when the signal aborts', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    const sleeping = systemClock.sleep(60_000, controller.signal);
    controller.abort(reason);
    let caught: unknown;
    await sleeping.catch((error: unknown) => (caught = error));
    expect(caught).to.equal(reason);
  });
});
