/**
 * The one error shape of the workspace: a machine-readable `kind` (a string literal union
 * per module, kebab-case: `invalid-value`, `not-found`), a `message` a person can act on
 * (it names what was wrong and, where there is one, the fix), and any details beside them
 * (`field`, `offset`, `suggestions`, ...). No `detail`, `reason` or `code` synonyms.
 */
export interface Failure<K extends string = string> {
  readonly kind: K;
  readonly message: string;
}

/** Builds a failure; details are spread beside `kind` and `message`, never nested. */
export function failure<K extends string, D extends object = Record<never, never>>(
  kind: K,
  message: string,
  details?: D,
): Failure<K> & D {
  return { kind, message, ...details } as Failure<K> & D;
}

/** Narrows an unknown value (from a catch, a worker, JSON) to the failure shape. */
export function isFailure(value: unknown): value is Failure {
  if (typeof value !== "object" || value === null) return false;
  const { kind, message } = value as { kind?: unknown; message?: unknown };
  return typeof kind === "string" && typeof message === "string";
}
