/** Test helpers of the resilience suite: SDK-shaped errors and scripted attempts. */

/** An error shaped like the AWS SDK's (name, $metadata, optional $response headers, optional code). */
export function sdkError(
  name: string,
  status?: number,
  extra: { readonly headers?: Record<string, string>; readonly code?: string; readonly attempts?: number } = {},
): Error {
  const err = Object.assign(new Error(`${name} happened`), {
    name,
    ...(extra.code ? { code: extra.code } : {}),
    ...(status ? { $metadata: { httpStatusCode: status, requestId: 'req-1', attempts: extra.attempts ?? 1 } } : {}),
  });
  if (extra.headers) Object.defineProperty(err, '$response', { value: { headers: extra.headers } });
  return err;
}

/** An attempt function that fails with `failures` in order, then resolves `value`; counts its calls. */
export function scripted<T>(failures: readonly Error[], value: T) {
  const calls: AbortSignal[] = [];
  const attempt = async (signal: AbortSignal): Promise<T> => {
    calls.push(signal);
    const failure = failures[calls.length - 1];
    if (failure) throw failure;
    return value;
  };
  return { attempt, calls };
}

/** A promise with its resolve function exposed. */
export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/**
 * An attempt that holds its slot: `entered` resolves once it runs, and it resolves `value` only after
 * `release()` — for tests of what happens to requests queued behind it.
 */
export function heldAttempt<T>(value: T) {
  const entered = deferred();
  const gate = deferred();
  const attempt = async (): Promise<T> => {
    entered.resolve();
    await gate.promise;
    return value;
  };
  return { attempt, entered: entered.promise, release: () => gate.resolve() };
}
