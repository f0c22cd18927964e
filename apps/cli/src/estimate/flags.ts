import type { ParsedFlags } from "@wattprint/node";

/** `wattprint estimate`'s flags. `multiple` ones collect every value; others refuse a repeat. */
export const ESTIMATE_OPTIONS = {
  hardware: { type: "string", multiple: true },
  watts: { type: "string", multiple: true },
  location: { type: "string", multiple: true },
  machine: { type: "string" },
  cloud: { type: "string" },
  instance: { type: "string" },
  region: { type: "string", multiple: true },
  machines: { type: "string" },
  utilisation: { type: "string" },
  duration: { type: "string" },
  latency: { type: "string" },
  from: { type: "string" },
  to: { type: "string" },
  count: { type: "string" },
  memory: { type: "string" },
  intensity: { type: "string" },
  year: { type: "string" },
  live: { type: "boolean" },
  pue: { type: "string" },
  json: { type: "boolean" },
  csv: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

export type EstimateFlags = ParsedFlags<typeof ESTIMATE_OPTIONS>["values"];
