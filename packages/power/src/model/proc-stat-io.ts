import { close, readSync } from "node:fs";
import { nodeSysfsIo, openRegularFile, type SysfsIo } from "../sysfs/io.ts";

/**
 * `/proc/stat` read synchronously on the main thread, not on the power package's read thread
 * nor on Node's thread pool. procfs text is generated from kernel memory and never waits on a
 * device (unlike a sysfs attribute, which a hung driver can stall), and the read costs about
 * 15 µs of CPU; a hand-off to another thread costs more than that in wake-ups at every sample.
 * When the CPU is modelled nothing else is read from sysfs, and starting the read thread for
 * one read a second cost about 100 ms of CPU at start and 10 MB of RSS for the tracker's life
 * (issue 13). The callback still runs later, never synchronously, as `SysfsIo.read` promises.
 */
export const procStatIo: SysfsIo = {
  ...nodeSysfsIo,
  // A FIFO at `${procRoot}/stat` would block the open, and then every read on this thread.
  open: openRegularFile,
  read: (fd, buffer, length, position, callback) => {
    let bytesRead = 0;
    let failed: NodeJS.ErrnoException | null = null;
    try {
      bytesRead = readSync(fd, buffer, 0, length, position);
    } catch (error) {
      failed = error as NodeJS.ErrnoException;
    }
    queueMicrotask(() => callback(failed, bytesRead));
  },
  close: (fd) =>
    close(fd, () => {
      // Nothing to do: a close error on a read-only /proc descriptor loses no data.
    }),
};
