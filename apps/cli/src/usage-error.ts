import { UsageError } from "@wattprint/node/options";

/** Exit codes: 0 success, 1 a failure of ours or of the environment, 2 a user mistake. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** A mistake in what the user typed: printed as one line, never with a stack trace. */
export { UsageError };
