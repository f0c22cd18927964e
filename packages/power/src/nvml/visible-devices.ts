/**
 * `CUDA_VISIBLE_DEVICES` as CUDA reads it: a comma-separated list of device indices, `GPU-`
 * UUIDs (or unique prefixes of them), `MIG-` instance UUIDs, or the legacy
 * `MIG-GPU-<uuid>/<gi>/<ci>` form. CUDA stops at the first entry it cannot use, so an entry
 * after an invalid one (the `-1` idiom hides every GPU) is ignored, not skipped over.
 * Unset means every device; set but empty means none.
 */
export type VisibleEntry =
  | { readonly kind: "index"; readonly text: string; readonly index: number }
  | { readonly kind: "gpu-uuid"; readonly text: string; readonly prefix: string }
  | { readonly kind: "mig-uuid"; readonly text: string; readonly uuid: string }
  | {
      readonly kind: "mig-legacy";
      readonly text: string;
      readonly gpuUuid: string;
      readonly gpuInstance: number;
      readonly computeInstance: number;
    };

export interface VisibleDevices {
  /** True when the variable is unset: every GPU is visible. */
  readonly all: boolean;
  readonly entries: readonly VisibleEntry[];
  /** The first entry that is not a device id, with everything after it; empty when all parsed. */
  readonly invalid: readonly string[];
}

/** Entries beyond any real node's GPU count; the rest is treated as invalid. */
export const MAX_VISIBLE_ENTRIES = 64;

const LEGACY_MIG = /^MIG-(GPU-[0-9a-fA-F-]+)\/(\d+)\/(\d+)$/;

export function parseVisibleDevices(value: string | undefined): VisibleDevices {
  if (value === undefined) return { all: true, entries: [], invalid: [] };
  // Split no further than the limit needs: a variable of a million entries must not become a
  // million strings. What lies beyond is one invalid remainder, quoted clipped.
  const parts = value.split(",", MAX_VISIBLE_ENTRIES + 1).map((part) => part.trim());
  if (parts.length > MAX_VISIBLE_ENTRIES) {
    const at = nthComma(value, MAX_VISIBLE_ENTRIES);
    parts[MAX_VISIBLE_ENTRIES] = value.slice(at + 1).trim();
  }
  if (parts.length === 1 && parts[0] === "") return { all: false, entries: [], invalid: [] };
  const entries: VisibleEntry[] = [];
  for (let i = 0; i < parts.length; i++) {
    const entry = i < MAX_VISIBLE_ENTRIES ? parseEntry(parts[i] ?? "") : undefined;
    if (entry === undefined) return { all: false, entries, invalid: parts.slice(i) };
    entries.push(entry);
  }
  return { all: false, entries, invalid: [] };
}

function parseEntry(text: string): VisibleEntry | undefined {
  if (/^\d+$/.test(text)) return { kind: "index", text, index: Number(text) };
  const legacy = LEGACY_MIG.exec(text);
  if (legacy !== null) {
    return {
      kind: "mig-legacy",
      text,
      gpuUuid: legacy[1] as string,
      gpuInstance: Number(legacy[2]),
      computeInstance: Number(legacy[3]),
    };
  }
  if (/^MIG-[0-9a-fA-F-]+$/.test(text)) return { kind: "mig-uuid", text, uuid: text };
  if (/^GPU-[0-9a-fA-F-]+$/.test(text)) return { kind: "gpu-uuid", text, prefix: text };
  return undefined;
}

/** Index of the `n`th comma (1-based) of `text`. */
function nthComma(text: string, n: number): number {
  let at = -1;
  for (let i = 0; i < n; i++) at = text.indexOf(",", at + 1);
  return at;
}
