import { getSystemErrorName } from "node:util";

/** `ENODEV` for 19; `EIO` for an errno the platform does not name. */
export function errnoName(errno: number): string {
  try {
    return getSystemErrorName(-errno);
  } catch {
    return "EIO";
  }
}

export function errnoError(errno: number): NodeJS.ErrnoException {
  const code = errnoName(errno);
  const error: NodeJS.ErrnoException = new Error(`${code}: read failed`);
  error.code = code;
  error.errno = -errno;
  return error;
}
