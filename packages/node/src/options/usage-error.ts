/** Marks every UsageError, whichever copy of this module made it (see below). */
const BRAND = Symbol.for("@wattprint/node/options UsageError");

/**
 * A mistake in what the user typed (a flag, its value, an environment variable): the apps
 * print its message as one line and exit 2, never with a stack trace. Thrown only while the
 * command line is read, so each app catches it in exactly one place.
 *
 * `instanceof UsageError` recognises a UsageError from any copy of this module: the CLI's
 * built binary bundles its start-up path and its `track` command separately (issue 13), so
 * the class a command throws may not be the object the catch names. The brand is a global
 * symbol; a subclass, if one is ever written, keeps the ordinary prototype check.
 */
export class UsageError extends Error {
  override readonly name = "UsageError";
  readonly [BRAND] = true;
}

Object.defineProperty(UsageError, Symbol.hasInstance, {
  value: function hasInstance(this: unknown, value: unknown): boolean {
    if (this !== UsageError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === "object" && value !== null && BRAND in value;
  },
});
