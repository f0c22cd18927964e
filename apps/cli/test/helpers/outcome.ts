import { expect } from "vitest";

/** What one run of the command line left: its exit code and everything it wrote. */
export interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A refusal: exit `code`, nothing on stdout, one line on stderr matching `pattern`, no stack. */
export function expectOneLineError(outcome: Outcome, code: number, pattern: RegExp): void {
  expect(outcome.code).toBe(code);
  expect(outcome.stdout).toBe("");
  const lines = outcome.stderr.trimEnd().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(outcome.stderr).not.toMatch(/\n\s+at /);
}

/** A user mistake: exit 2 with one line. */
export function expectUsageError(outcome: Outcome, pattern: RegExp): void {
  expectOneLineError(outcome, 2, pattern);
}
