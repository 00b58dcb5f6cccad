/** What a benchmark module default-exports. `benchmarks/run.ts` discovers `benchmarks/*.bench.ts`. */
export interface Benchmark {
  /** Section title in RESULTS.md. */
  readonly title: string;
  /** Order in RESULTS.md (ascending). */
  readonly order: number;
  /** Runs the benchmark and returns the Markdown body of its section (tables, notes). */
  run(context: BenchmarkContext): Promise<string>;
}

export interface BenchmarkContext {
  /** `--quick`: smaller sizes and fewer repetitions (smoke run). */
  readonly quick: boolean;
  /** Logs progress to stderr (never into RESULTS.md). */
  log(message: string): void;
}
