/**
 * An error from the operating system (it carries an errno code such as `ENOENT`, `EACCES`,
 * `EISDIR`): a fact about a file, reported as its problem. Anything else thrown while
 * reading is a bug in this package and is not caught.
 */
export function isSystemError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === "string";
}
