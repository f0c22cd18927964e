import { constants } from "node:os";
import { nodeSysfsIo, type SysfsIo } from "../../src/index.ts";

function errnoError(code: string, path: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`${code}: simulated, open '${path}'`);
  error.code = code;
  return error;
}

/**
 * The real file layer with chosen errors on chosen paths. Tests run as root in CI, where
 * `chmod 000` does not stop a read; this produces the EACCES a non-root user gets from a
 * root-only `energy_uj`, and the ENODEV a removed sysfs node gives an open descriptor.
 * Everything else is real file I/O on a real temporary tree. Both read paths carry the errors:
 * `read` (the read thread) and `readNow` (the calling thread, which RAPL and /proc/stat use).
 */
export function ioWithErrors(rules: {
  readonly openErrors?: Readonly<Record<string, string>>;
  readonly readErrors?: Map<string, string>;
}): SysfsIo {
  const pathOfFd = new Map<number, string>();
  return {
    ...nodeSysfsIo,
    async open(path) {
      const code = rules.openErrors?.[path];
      if (code !== undefined) throw errnoError(code, path);
      const fd = await nodeSysfsIo.open(path);
      pathOfFd.set(fd, path);
      return fd;
    },
    read(fd, buffer, length, position, callback) {
      const path = pathOfFd.get(fd);
      const code = path === undefined ? undefined : rules.readErrors?.get(path);
      if (code !== undefined && path !== undefined) {
        queueMicrotask(() => callback(errnoError(code, path), 0));
        return;
      }
      nodeSysfsIo.read(fd, buffer, length, position, callback);
    },
    readNow(fd, buffer, length, position) {
      const path = pathOfFd.get(fd);
      const code = path === undefined ? undefined : rules.readErrors?.get(path);
      if (code !== undefined)
        return -((constants.errno as Record<string, number>)[code] ?? constants.errno.EIO);
      return nodeSysfsIo.readNow?.(fd, buffer, length, position) ?? -constants.errno.EIO;
    },
  };
}
