import { err, type Failure, failure, ok, type Result } from "@wattprint/result";
import { HARDWARE_HINT } from "../hardware/lookup.ts";
import { nameIndex } from "../text/name-index.ts";
import { machinePresets } from "./data/machines.ts";
import type { MachinePreset } from "./machine.ts";

export interface MachineLookupError extends Failure<"empty-query" | "unknown-machine"> {
  readonly query: string;
  /** Up to five preset ids nearest the query. */
  readonly suggestions: readonly string[];
}

const MAX_SUGGESTIONS = 5;

let index: ReturnType<typeof nameIndex<MachinePreset>> | undefined;

function presets() {
  index ??= nameIndex(
    machinePresets,
    (p) => [p.id, p.name, ...p.aliases],
    (p) => p.id,
  );
  return index;
}

/** A machine preset by id, name or alias (`dgx-h100`, `DGX H100`), case and punctuation blind. */
export function findMachine(query: string): Result<MachinePreset, MachineLookupError> {
  if (query.trim() === "") {
    const message = `empty machine name; ${HARDWARE_HINT} (machines are listed too)`;
    return err(failure("empty-query", message, { query, suggestions: [] }));
  }
  const hit = presets().exact(query);
  if (hit !== undefined) return ok(hit);
  const suggestions = presets().suggest(query, MAX_SUGGESTIONS);
  const close = suggestions.length > 0 ? `; did you mean ${suggestions.join(", ")}?` : "";
  const message = `unknown machine "${query}"${close} (presets: ${machinePresets.map((p) => p.id).join(", ")})`;
  return err(failure("unknown-machine", message, { query, suggestions }));
}

/** Presets whose id, name or aliases contain every word of the query; all for an empty one. */
export function searchMachines(query = ""): readonly MachinePreset[] {
  const words = query
    .toLowerCase()
    .split(/[^a-z0-9+]+/)
    .filter((w) => w.length > 0);
  return machinePresets.filter((p) => {
    const haystack = [p.id, p.name, ...p.aliases, p.kind].join(" ").toLowerCase();
    return words.every((w) => haystack.includes(w));
  });
}
