/**
 * Benchmark helper process: runs the emulator alone (so client-side figures are not polluted by server work)
 * and prints `{"endpoint": …}` on stdout. Killed by the parent (SIGTERM).
 */
import { startEmulator } from '../../src/emulator/index.js';

const emu = await startEmulator({
  seed: 11,
  // Realistic numbers (float32 widened to double, as AWS sends them): the emulator's default, stated here.
  numbers: 'float32',
  processingTimeMs: 0,
  maxVideoDurationMs: 48 * 3_600_000,
  maxConcurrentJobs: 1000,
  tokenTtlMs: 86_400_000,
});
process.stdout.write(`${JSON.stringify({ endpoint: emu.endpoint })}\n`);
const stop = () => void emu.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
