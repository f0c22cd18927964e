import { close, open, read } from "node:fs";
import { nodeSysfsIo, type SysfsIo } from "../sysfs/io.ts";

/** Descriptors with reads in flight, and those whose close waits for them. */
const inFlight = new Map<number, number>();
const closeWhenIdle = new Set<number>();

function closeNow(fd: number): void {
  close(fd, () => {
    // Nothing to do: a close error on a read-only /proc descriptor loses no data.
  });
}

/**
 * `/proc/stat` read on Node's thread pool instead of the power package's read thread. The
 * model is the one reader that needs no sysfs round: one positional read a second does not
 * pay for a worker thread, which costs about 20 ms of CPU to start and its own V8 heap for
 * the life of the tracker (issue 13: start-up time and RSS). A descriptor is closed only once
 * its reads are back, so a read never lands on a closed (maybe reused) number.
 */
export const threadPoolIo: SysfsIo = {
  ...nodeSysfsIo,
  open: (path) =>
    new Promise((resolve, reject) =>
      open(path, "r", (error, fd) => (error ? reject(error) : resolve(fd))),
    ),
  read: (fd, buffer, length, position, callback) => {
    inFlight.set(fd, (inFlight.get(fd) ?? 0) + 1);
    read(fd, buffer, 0, length, position, (error, bytesRead) => {
      const left = (inFlight.get(fd) ?? 1) - 1;
      if (left > 0) inFlight.set(fd, left);
      else {
        inFlight.delete(fd);
        if (closeWhenIdle.delete(fd)) closeNow(fd);
      }
      callback(error, bytesRead);
    });
  },
  close: (fd) => {
    if (inFlight.has(fd)) closeWhenIdle.add(fd);
    else closeNow(fd);
  },
};
