import { readdirSync, readFileSync, readlinkSync } from "node:fs";

/*
 * What Linux's /proc says about a process under test: its memory and the UDP ports
 * its sockets are bound to (read from its own network namespace's table), so a test aims at
 * the port a process really bound instead of the one it should have.
 */

export interface MemoryUse {
  /** VmRSS: pages in RAM. */
  readonly residentBytes: number;
  /**
   * VmSize: every mapping, touched or not. A large zero-filled buffer (calloc, mmap) shows here
   * at once and in VmRSS only page by page as it is written.
   */
  readonly virtualBytes: number;
}

/** VmRSS and VmSize of `pid`; undefined once the process is gone. */
export function memoryOf(pid: number): MemoryUse | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    return undefined;
  }
  const rss = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status)?.[1];
  const size = /^VmSize:\s+(\d+)\s+kB$/m.exec(status)?.[1];
  if (rss === undefined || size === undefined) return undefined;
  return { residentBytes: Number(rss) * 1024, virtualBytes: Number(size) * 1024 };
}

/** VmRSS of `pid` in bytes; undefined once the process is gone. */
export function residentBytes(pid: number): number | undefined {
  return memoryOf(pid)?.residentBytes;
}

/**
 * Linux's USER_HZ, the unit of /proc/<pid>/stat times: 100 on every architecture the kernel
 * exports to user space (sysconf(_SC_CLK_TCK)), and Node cannot ask sysconf.
 */
const USER_HZ = 100;

/** User + system CPU time `pid` has used, in seconds; undefined once it is gone. */
export function cpuSecondsOf(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // The command name (field 2) may hold spaces and parentheses; fields after its last ")"
  // start at field 3, so utime and stime (fields 14 and 15) are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  return Number.isFinite(ticks) ? ticks / USER_HZ : undefined;
}

export interface UdpSocketInfo {
  /** Dotted IPv4 address the socket is bound to (0.0.0.0 for any). */
  readonly address: string;
  readonly port: number;
  /** Bytes waiting in the socket's receive buffer, not yet read by the process. */
  readonly receiveQueueBytes: number;
  /** Datagrams the kernel dropped for this socket so far (its receive buffer was full). */
  readonly drops: number;
}

function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    let target: string;
    try {
      target = readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      continue; // closed between the listing and the read
    }
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode !== undefined) inodes.add(inode);
  }
  return inodes;
}

// /proc/net/udp writes the address as the u32 in host (little-endian) order, in hex.
function ipv4FromProcHex(hex: string): string {
  const n = Number.parseInt(hex, 16);
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24].join(".");
}

/** The IPv4 UDP sockets `pid` holds, sorted by port (a snapshot; throws if `pid` is gone). */
export function udpSocketsOf(pid: number): UdpSocketInfo[] {
  const inodes = socketInodes(pid);
  const out: UdpSocketInfo[] = [];
  const table = readFileSync(`/proc/${pid}/net/udp`, "utf8").split("\n").slice(1);
  for (const row of table) {
    const cols = row.trim().split(/\s+/);
    // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout
    // inode ref pointer drops
    const local = cols[1];
    const inode = cols[9];
    const rxQueueHex = cols[4]?.split(":")[1];
    const drops = cols[12];
    if (local === undefined || inode === undefined || !inodes.has(inode)) continue;
    const [addressHex, portHex] = local.split(":");
    if (addressHex === undefined || portHex === undefined) continue;
    if (rxQueueHex === undefined || drops === undefined) continue;
    out.push({
      address: ipv4FromProcHex(addressHex),
      port: Number.parseInt(portHex, 16),
      receiveQueueBytes: Number.parseInt(rxQueueHex, 16),
      drops: Number(drops),
    });
  }
  return out.sort((a, b) => a.port - b.port);
}
