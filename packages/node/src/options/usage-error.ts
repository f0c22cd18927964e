/**
 * A mistake in what the user typed (a flag, its value, an environment variable): the apps
 * print its message as one line and exit 2, never with a stack trace. Thrown only while the
 * command line is read, so each app catches it in exactly one place.
 */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
