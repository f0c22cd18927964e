import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";
import { delimiter, isAbsolute, join, resolve } from "node:path";

/** Why a command cannot be run; the exit codes are a shell's (POSIX "Command Search and Execution"). */
export interface CommandProblem {
  readonly kind: "not-found" | "not-executable";
  readonly exitCode: 127 | 126;
  readonly message: string;
}

/** At most this many PATH entries are searched (a PATH is rarely over 50). */
export const MAX_PATH_ENTRIES = 1000;

/**
 * Finds `name` as a shell would before anything starts measuring: a name with a slash is a
 * path (relative to `cwd`), any other is looked up in PATH. Null when it can run; else why not,
 * with 127 (not found) or 126 (found but not executable, or a directory).
 */
export async function findCommand(
  name: string,
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): Promise<CommandProblem | null> {
  // An empty word is no command (a shell says "command not found"); looked up in PATH it
  // would name each folder itself, found as a directory (126).
  if (name === "") return notFound(name, "command not found");
  if (name.includes("/")) {
    const path = isAbsolute(name) ? name : resolve(cwd, name);
    const problem = await checkExecutable(path);
    if (problem === "missing") return notFound(name, "no such file");
    return problem === null ? null : notExecutable(name, problem);
  }
  const dirs = (env.PATH ?? "").split(delimiter).slice(0, MAX_PATH_ENTRIES);
  let firstProblem: string | null = null;
  for (const dir of dirs) {
    // An empty PATH entry means the current directory, as in a shell.
    const problem = await checkExecutable(join(dir === "" ? cwd : resolve(cwd, dir), name));
    if (problem === null) return null;
    if (problem !== "missing") firstProblem ??= problem;
  }
  return firstProblem === null
    ? notFound(name, "command not found")
    : notExecutable(name, firstProblem);
}

async function checkExecutable(path: string): Promise<"missing" | string | null> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) return "is a directory";
    await access(path, constants.X_OK);
    return null;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return "missing";
    return code === "EACCES" ? "permission denied" : `cannot run (${code ?? "unknown error"})`;
  }
}

function notFound(name: string, why: string): CommandProblem {
  return { kind: "not-found", exitCode: 127, message: `${name}: ${why}` };
}

function notExecutable(name: string, why: string): CommandProblem {
  return { kind: "not-executable", exitCode: 126, message: `${name}: ${why}` };
}
