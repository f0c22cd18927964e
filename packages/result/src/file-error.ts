/**
 * A file operation's error as a sentence a person can act on. Node's own text
 * (`EACCES: permission denied, mkdir '/x'`) names the system call, not what to do; the codes
 * a user can fix get the fix, any other keeps Node's message. Shared by the CLI and
 * `@wattprint/measure` (the bus node's models folder).
 */
const SENTENCES: Readonly<Record<string, string>> = {
  EACCES: "permission denied: give this user access to it, or choose another path",
  EPERM: "the operation is not permitted: give this user access to it, or choose another path",
  ENOENT: "it does not exist: check the path",
  ENOTDIR: "a part of the path is a file, not a folder: check the path",
  EISDIR: "it is a folder, not a file: name a file",
  ENOSPC: "the disk is full: free some space, or choose another disk",
  EFBIG:
    "the file is over this process's file size limit (ulimit -f): raise the limit, or choose a smaller output",
  EROFS: "the file system is read-only: choose a writable path",
};

/** The `code` of a Node system error (`ENOENT`), or undefined for anything else. */
export function errorCode(error: unknown): string | undefined {
  const code =
    typeof error === "object" && error !== null && "code" in error ? error.code : undefined;
  return typeof code === "string" ? code : undefined;
}

/** What went wrong and the fix, for the codes a user can fix; Node's message otherwise. */
export function fileErrorSentence(error: unknown): string {
  const code = errorCode(error);
  const sentence = code === undefined ? undefined : SENTENCES[code];
  if (sentence !== undefined) return sentence;
  return error instanceof Error ? error.message : String(error);
}
