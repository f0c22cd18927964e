/**
 * A typed outcome at a boundary: what can go wrong for reasons outside the caller's
 * control (input, files, the network, a peer) is a value, not a throw. See docs/errors.md.
 *
 * The two variants keep exactly these fields, in this order: hot paths (the RTPS receive
 * path, the carbon task) create many of them, and one object shape per site keeps V8's
 * inline caches monomorphic.
 */
export type Result<T, E> = Ok<T> | Err<E>;

export interface Ok<T> {
  readonly ok: true;
  readonly value: T;
}

export interface Err<E> {
  readonly ok: false;
  readonly error: E;
}

export function ok<T>(value: T): Ok<T> {
  return { ok: true, value };
}

export function err<E>(error: E): Err<E> {
  return { ok: false, error };
}

/** The value of a success, or what `fallback` makes of the error. */
export function unwrapOr<T, E>(result: Result<T, E>, fallback: (error: E) => T): T {
  return result.ok ? result.value : fallback(result.error);
}

/** Transforms a success, passing a failure through untouched. */
export function mapResult<T, U, E>(result: Result<T, E>, f: (value: T) => U): Result<U, E> {
  return result.ok ? ok(f(result.value)) : result;
}
