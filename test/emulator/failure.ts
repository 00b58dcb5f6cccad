/** An SDK error as tests inspect it. */
export type SdkError = Error & { $metadata?: { httpStatusCode?: number }; $fault?: string };

/** Runs `fn`, expecting it to reject; returns the error (fails the test if it resolves). */
export async function failure(fn: () => Promise<unknown>): Promise<SdkError> {
  try {
    await fn();
  } catch (error) {
    return error as SdkError;
  }
  throw new Error('expected a failure');
}
