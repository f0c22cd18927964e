/**
 * Installed memory modules from the raw SMBIOS structure table (the bytes of
 * `/sys/firmware/dmi/tables/DMI`, what `dmidecode -t memory` decodes), without spawning
 * dmidecode. Pure: the caller reads the file.
 *
 * Layout (DMTF DSP0134): each structure is a formatted area (type byte, length byte, 2-byte
 * handle, fields) followed by its strings, each NUL-terminated, the set ending in one more
 * NUL (two NULs when there are none). Type 17 is a Memory Device: its Size word at offset
 * 0x0C is 0 for an empty slot, 0xFFFF for unknown, 0x7FFF for "see the Extended Size dword at
 * 0x1C"; bit 15 picks KiB instead of MiB. Type 127 ends the table.
 */

const MEMORY_DEVICE = 17;
const END_OF_TABLE = 127;
const SIZE_OFFSET = 0x0c;
const SIZE_UNKNOWN = 0xffff;
/** A table walked past this many structures is malformed or hostile: we stop there. */
export const MAX_SMBIOS_STRUCTURES = 4096;

export interface SmbiosMemory {
  /** Memory Device structures with an installed module of known size. */
  readonly modules: number;
  /** Why the walk stopped early (a truncated or malformed table, the structure limit), if it did. */
  readonly stoppedEarly: string | undefined;
}

export function smbiosMemoryModules(table: Uint8Array): SmbiosMemory {
  let modules = 0;
  let at = 0;
  for (let n = 0; n < MAX_SMBIOS_STRUCTURES; n++) {
    if (at + 4 > table.length) {
      return { modules, stoppedEarly: at === table.length ? undefined : "a truncated structure" };
    }
    const type = table[at] as number;
    const length = table[at + 1] as number;
    if (length < 4 || at + length > table.length) {
      return { modules, stoppedEarly: `a structure of impossible length ${length}` };
    }
    if (type === END_OF_TABLE) return { modules, stoppedEarly: undefined };
    // The strings end at the first double NUL after the formatted area; a structure counts
    // only when whole.
    let end = at + length;
    while (end + 1 < table.length && !(table[end] === 0 && table[end + 1] === 0)) end++;
    if (end + 1 >= table.length) return { modules, stoppedEarly: "unterminated strings" };
    if (type === MEMORY_DEVICE && length >= SIZE_OFFSET + 2) {
      const size =
        (table[at + SIZE_OFFSET] as number) | ((table[at + SIZE_OFFSET + 1] as number) << 8);
      if (size !== 0 && size !== SIZE_UNKNOWN) modules++;
    }
    at = end + 2;
  }
  return { modules, stoppedEarly: `more than ${MAX_SMBIOS_STRUCTURES} structures` };
}
