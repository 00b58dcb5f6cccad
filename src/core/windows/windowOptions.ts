/**
 * Validation of the window operators' options into the configuration of a window engine (pure, no RxJS).
 *
 * @module
 */
import { InvalidParameterError } from '../../errors/InvalidParameterError.js';
import { expectFunction, expectInteger, expectNumber, expectObject } from '../../internal/validate.js';
import type { FixedWindowOptions, LateItem, LateItemHandler, WindowAggregate } from './windowTypes.js';

/** How items map to windows: a fixed grid (tumbling, hopping) or sessions. */
export type WindowAssigner =
  | { readonly kind: 'fixed'; readonly size: number; readonly slide: number; readonly offset: number }
  | { readonly kind: 'session'; readonly gap: number };

/** Validated options shared by both engines (`emptyWindows` and `durationMillis` only apply to fixed windows). */
export interface ResolvedWindowOptions<T, K, A, R> {
  readonly timestamp: ((item: T) => number) | undefined;
  readonly key: ((item: T) => K) | undefined;
  readonly aggregate: WindowAggregate<T, A, R>;
  readonly maxOutOfOrderness: number;
  readonly allowedLateness: number;
  readonly earlyFiringEvery: number;
  readonly onLate: ((late: LateItem<T, K>) => void) | undefined;
  readonly emptyWindows: boolean;
  readonly durationMillis: number;
}

/** The default window function: every item, in arrival order. `result` copies, as windows may fire again. */
const itemsAggregate: WindowAggregate<unknown, unknown[], unknown[]> = {
  create: () => [],
  add: (acc, item) => {
    acc.push(item);
    return acc;
  },
  merge: (a, b) => {
    for (const item of b) a.push(item);
    return a;
  },
  result: (acc) => acc.slice(),
};

/**
 * Validates the options shared by all window operators. Throws `InvalidParameterError` naming the option.
 *
 * @example
 * ```ts
 * import { resolveWindowOptions } from './windowOptions.js';
 *
 * resolveWindowOptions({ kind: 'session', gap: 1000 }, { maxOutOfOrderness: 500 }).allowedLateness; // 0
 * ```
 */
export function resolveWindowOptions<T, K, R>(
  assigner: WindowAssigner,
  options: FixedWindowOptions<T, K, R> | undefined,
): ResolvedWindowOptions<T, K, unknown, R> {
  const o = options === undefined ? {} : (expectObject('options', options) as FixedWindowOptions<T, K, R>);
  const timestamp = o.timestamp === undefined ? undefined : expectFunction<(item: T) => number>('timestamp', o.timestamp);
  const key = o.key === undefined ? undefined : expectFunction<(item: T) => K>('key', o.key);
  let aggregate = itemsAggregate as unknown as WindowAggregate<T, unknown, R>;
  if (o.aggregate !== undefined) {
    const agg = expectObject('aggregate', o.aggregate);
    expectFunction('aggregate.create', agg['create']);
    expectFunction('aggregate.add', agg['add']);
    expectFunction('aggregate.result', agg['result']);
    if (assigner.kind === 'session' || agg['merge'] !== undefined) {
      expectFunction('aggregate.merge', agg['merge']);
    }
    aggregate = o.aggregate as WindowAggregate<T, unknown, R>;
  }
  const maxOutOfOrderness = expectNumber('maxOutOfOrderness', o.maxOutOfOrderness ?? 0, 0);
  const allowedLateness = expectNumber('allowedLateness', o.allowedLateness ?? 0, 0);
  const earlyFiringEvery = o.earlyFiringEvery === undefined ? 0 : expectInteger('earlyFiringEvery', o.earlyFiringEvery, 1);
  const onLate = o.onLate === undefined ? undefined : lateHandler('onLate', o.onLate);
  if (o.emptyWindows !== undefined && typeof o.emptyWindows !== 'boolean') {
    throw new InvalidParameterError('emptyWindows', 'a boolean', o.emptyWindows);
  }
  const emptyWindows = o.emptyWindows === true;
  if (emptyWindows && assigner.kind === 'session') {
    throw new InvalidParameterError('emptyWindows', 'unset for session windows (sessions are never empty)', true);
  }
  if (emptyWindows && key !== undefined) {
    throw new InvalidParameterError('emptyWindows', 'false or unset when `key` is given (empty windows are unkeyed)', true);
  }
  const durationMillis =
    o.durationMillis === undefined ? Infinity : expectNumber('durationMillis', o.durationMillis, 0);
  return {
    timestamp,
    key,
    aggregate,
    maxOutOfOrderness,
    allowedLateness,
    earlyFiringEvery,
    onLate,
    emptyWindows,
    durationMillis,
  };
}

function lateHandler<T, K>(parameter: string, handler: LateItemHandler<T, K>): (late: LateItem<T, K>) => void {
  if (typeof handler === 'function') return handler;
  if (typeof handler === 'object' && handler !== null && typeof handler.next === 'function') {
    return (late) => handler.next(late);
  }
  throw new InvalidParameterError(parameter, 'a function or an observer with a `next` method', handler);
}
