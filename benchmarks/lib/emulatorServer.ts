/**
 * Benchmark helper process: runs the emulator alone (so client-side figures are not polluted by server work)
 * and prints `{"endpoint": …}` on stdout. Killed by the parent (SIGTERM). Arguments: the page cache's bytes (0: none), the service time of a page in ms (0: none).
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
  pageCacheBytes: Number(process.argv[2] ?? 0),
  // Service time of a page (argument 2, ms; 0: none): every GetFaceDetection is answered after it.
  ...(Number(process.argv[3] ?? 0) > 0
    ? { faults: { random: { latency: 1, latencyMs: Number(process.argv[3]), operations: ['GetFaceDetection' as const] } } }
    : {}),
});
process.stdout.write(`${JSON.stringify({ endpoint: emu.endpoint })}\n`);
const stop = () => void emu.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
