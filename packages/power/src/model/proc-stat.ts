/**
 * CPU time counters from the first line of `/proc/stat` ("cpu  user nice system idle iowait
 * irq softirq steal ..."), parsed from the bytes without making strings.
 * `busy` is user + nice + system + irq + softirq; `total` adds idle, iowait and steal (time the
 * hypervisor gave to other guests is not this machine's work). Both in clock ticks.
 */
export interface CpuTimes {
  busy: number;
  total: number;
}

/** Fields of the `cpu` line we read: user nice system idle iowait irq softirq steal. */
const FIELDS = 8;
const BUSY = [true, true, true, false, false, true, true, false];

/** Fills `into` and returns true, or returns false for a first line that is not `cpu ` + numbers. */
export function parseProcStat(buffer: Uint8Array, length: number, into: CpuTimes): boolean {
  // "cpu" then a space: the aggregate line, not "cpu0".
  if (
    length < 5 ||
    buffer[0] !== 0x63 ||
    buffer[1] !== 0x70 ||
    buffer[2] !== 0x75 ||
    buffer[3] !== 0x20
  ) {
    return false;
  }
  let busy = 0;
  let total = 0;
  let field = 0;
  let i = 4;
  while (field < FIELDS) {
    while (i < length && buffer[i] === 0x20) i++;
    if (i >= length || buffer[i] === 0x0a) break;
    let value = 0;
    let digits = 0;
    for (; i < length; i++) {
      const c = buffer[i] as number;
      if (c < 0x30 || c > 0x39) break;
      value = value * 10 + (c - 0x30);
      digits++;
    }
    if (digits === 0) return false;
    if (BUSY[field]) busy += value;
    total += value;
    field++;
  }
  // Kernels before 2.6.11 had 7 fields; anything with fewer than user..idle is not /proc/stat.
  if (field < 4) return false;
  into.busy = busy;
  into.total = total;
  return true;
}
