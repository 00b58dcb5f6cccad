/**
 * Paired, interleaved rounds of streamWorker variants (benchmarks/lib/streamWorker.ts) against one emulator
 * process — for before/after comparisons of the fast path and the raw floor outside the full stream bench (which
 * takes ≈ 19 min). Each contender runs a worker from its own source tree, so a checkout of another commit can be
 * measured in the same runs (`git archive <commit> | tar -x -C /tmp/base`, and a `node_modules` symlink).
 * The emulator serves every timed read from its page cache (one untimed read per job fills it). Prints each run, then per size the medians and, against the contender named `raw`, the ratio of the medians and
 * the median of the per-round ratios (paired), for wall and CPU time. Does not write RESULTS.md.
 *
 * @example
 * ```sh
 * npx tsx benchmarks/pairedWorkers.ts '{"sizes":[100000,1000000],"rounds":5,"contenders":[
 *   {"name":"base","tree":"/tmp/base","variant":"stream-fast"},
 *   {"name":"new","tree":".","variant":"stream-fast"},
 *   {"name":"raw","tree":".","variant":"raw"}]}'
 * ```
 */
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { startEmulatorProcess } from './lib/emulatorProcess.js';
import { median } from './lib/stats.js';
import type { WorkerResult, WorkerTask } from './lib/streamWorker.js';

/** One contender: a worker variant run from a source tree, with extra node options (e.g. `--cpu-prof`). */
interface Contender {
  readonly name: string;
  readonly tree: string;
  readonly variant: WorkerTask['variant'];
  readonly nodeArgs?: readonly string[];
}

interface Config {
  readonly sizes: readonly number[];
  readonly rounds: number;
  /** The service's time for a page, ms (the emulator answers every GetFaceDetection after it). @default 0 */
  readonly latencyMs?: number;
  /** CPU the consumer spends on every detection, µs. @default 0 */
  readonly workUs?: number;
  readonly contenders: readonly Contender[];
}

const config = JSON.parse(process.argv[2] ?? '') as Config;
const ENV = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };

/** The stream bench's synthetic job of about `n` detections. */
function videoName(n: number): string {
  return `preset=walkers,people=8,duration=${Math.max(1, Math.ceil(n / 2265))}m.mp4`;
}

function runWorker(contender: Contender, endpoint: string, jobId: string): Promise<WorkerResult> {
  const tree = resolve(contender.tree);
  const task: WorkerTask = { variant: contender.variant, endpoint, jobId, ...(config.workUs ? { workUs: config.workUs } : {}) };
  return new Promise((done, fail) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', '--expose-gc', ...(contender.nodeArgs ?? []), join(tree, 'benchmarks/lib/streamWorker.ts'), JSON.stringify(task)],
      { cwd: tree, env: ENV, maxBuffer: 256 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) fail(new Error(`${contender.name} failed: ${stderr || error.message}`));
        else done(JSON.parse(stdout.trim().split('\n').pop()!) as WorkerResult);
      },
    );
  });
}

// Served from the emulator's page cache, filled by one untimed read per job (as the stream bench does).
const emu = await startEmulatorProcess({ pageCacheBytes: 1.5 * 1024 ** 3, latencyMs: config.latencyMs ?? 0 });
try {
  for (const size of config.sizes) {
    const jobId = await emu.startJob(videoName(size));
    await runWorker({ name: 'warm-up', tree: '.', variant: 'raw' }, emu.endpoint, jobId);
    const results = new Map(config.contenders.map((c) => [c.name, [] as WorkerResult[]]));
    for (let round = 0; round < config.rounds; round++) {
      // (every other round in reverse order, as the stream bench does)
      for (const contender of round % 2 === 0 ? config.contenders : [...config.contenders].reverse()) {
        const result = await runWorker(contender, emu.endpoint, jobId);
        results.get(contender.name)!.push(result);
        console.log(
          `size ${size} round ${round + 1} ${contender.name}: ${result.count} detections, wall ${result.wallMs.toFixed(0)} ms, ` +
            `cpu ${result.cpuMs.toFixed(0)} ms, checksum ${result.checksum}`,
        );
      }
    }
    const floor = results.get('raw');
    console.log(`\n${size} (${results.values().next().value![0]!.count} detections), ${config.rounds} rounds`);
    for (const contender of config.contenders) {
      const rs = results.get(contender.name)!;
      const wall = median(rs.map((r) => r.wallMs));
      const cpu = median(rs.map((r) => r.cpuMs));
      let line = `${contender.name.padEnd(12)} wall ${wall.toFixed(0)} ms, cpu ${cpu.toFixed(0)} ms (medians)`;
      if (floor && contender.name !== 'raw') {
        const paired = (key: 'wallMs' | 'cpuMs') => median(rs.map((r, i) => r[key] / floor[i]![key]));
        line +=
          ` | vs raw: wall ${(wall / median(floor.map((r) => r.wallMs))).toFixed(3)} (paired ${paired('wallMs').toFixed(3)}), ` +
          `cpu ${(cpu / median(floor.map((r) => r.cpuMs))).toFixed(3)} (paired ${paired('cpuMs').toFixed(3)})`;
      }
      console.log(line);
    }
    console.log('');
  }
} finally {
  await emu.stop();
}
