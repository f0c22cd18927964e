import type { z } from "zod/mini";

/** Issues quoted in one message: enough to fix a body, short enough for one line. */
export const MAX_QUOTED_ISSUES = 3;

/** A zod issue's path as people write it: `hardware.0.watts`, or `(root)` for the value itself. */
export function issuePath(issue: z.core.$ZodIssue): string {
  return issue.path.length > 0 ? issue.path.map(String).join(".") : "(root)";
}

/**
 * The first issues of a failed parse as one line, `path: message; path: message`, so that a
 * person reads which field was wrong rather than a ZodError. Further issues are counted.
 */
export function describeIssues(error: z.core.$ZodError, max = MAX_QUOTED_ISSUES): string {
  const quoted = error.issues.slice(0, max).map((issue) => `${issuePath(issue)}: ${issue.message}`);
  const more = error.issues.length - quoted.length;
  return more > 0 ? `${quoted.join("; ")} (and ${more} more)` : quoted.join("; ");
}
