/**
 * Skips the calling test or suite when something it needs is missing on this machine, saying why; under CI
 * (`CI` set) it fails instead, so a CI run never passes with tests silently skipped.
 *
 * ```ts
 * before(function () {
 *   if (!hasRedisServer()) skipOutsideCI(this, 'redis-server is not installed (see .ci/run)');
 * });
 * ```
 */
export function skipOutsideCI(context: Mocha.Context, reason: string): never {
  if (process.env.CI) throw new Error(`${reason}, and CI is set: the test cannot be skipped`);
  console.log(`    (skipped: ${reason})`);
  context.skip();
}
