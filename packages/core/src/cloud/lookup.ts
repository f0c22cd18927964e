import { err, type Failure, failure, ok, type Result } from "@wattprint/result";
import { nameIndex, nameKeyOf } from "../text/name-index.ts";
import {
  CLOUD_NAMES,
  CLOUD_PROVIDERS,
  type CloudInstance,
  type CloudProvider,
  type CloudRegion,
} from "./cloud.ts";
import { cloudInstances } from "./data/instances.ts";
import { cloudRegions } from "./data/regions.ts";

export type CloudLookupErrorKind =
  | "empty-query"
  | "unknown-cloud"
  | "unknown-instance"
  | "unknown-region";

export interface CloudLookupError extends Failure<CloudLookupErrorKind> {
  readonly query: string;
  /** Up to five valid names nearest the query. */
  readonly suggestions: readonly string[];
}

const MAX_SUGGESTIONS = 5;

/** The names people give each provider. */
const PROVIDER_NAMES: Readonly<Record<CloudProvider, readonly string[]>> = {
  aws: ["aws", "amazon", "amazon web services", "ec2"],
  gcp: ["gcp", "google", "google cloud", "gce"],
  azure: ["azure", "microsoft", "microsoft azure"],
};

function lookupError(
  kind: CloudLookupErrorKind,
  query: string,
  what: string,
  suggestions: readonly string[],
  hint: string,
): Result<never, CloudLookupError> {
  const close = suggestions.length > 0 ? `; did you mean ${suggestions.join(", ")}?` : "";
  const message =
    query.trim() === "" ? `empty ${what}; ${hint}` : `unknown ${what} "${query}"${close} (${hint})`;
  return err(failure(query.trim() === "" ? "empty-query" : kind, message, { query, suggestions }));
}

/** `aws`, `gcp` or `azure` from what people type (`Google Cloud`, `Amazon`). */
export function findCloudProvider(query: string): Result<CloudProvider, CloudLookupError> {
  const key = nameKeyOf(query);
  for (const provider of CLOUD_PROVIDERS) {
    if (PROVIDER_NAMES[provider].some((name) => nameKeyOf(name) === key)) return ok(provider);
  }
  const hint = `one of ${CLOUD_PROVIDERS.join(", ")}`;
  const message =
    query.trim() === "" ? `empty cloud; ${hint}` : `unknown cloud "${query}" (${hint})`;
  // Three providers: each is a suggestion (the message names them once, as the hint).
  return err(
    failure(query.trim() === "" ? "empty-query" : "unknown-cloud", message, {
      query,
      suggestions: [...CLOUD_PROVIDERS],
    }),
  );
}

/** Azure sizes are written with and without `Standard_`. */
const spellings = (instance: CloudInstance): readonly string[] =>
  instance.provider === "azure"
    ? [instance.name, instance.name.replace(/^Standard_/, "")]
    : [instance.name];

let instanceIndex: ReturnType<typeof nameIndex<CloudInstance>> | undefined;
let regionIndexes: Map<CloudProvider, ReturnType<typeof nameIndex<CloudRegion>>> | undefined;

function instances() {
  instanceIndex ??= nameIndex(cloudInstances, spellings, (i) => i.name);
  return instanceIndex;
}

function regions(provider: CloudProvider) {
  regionIndexes ??= new Map(
    CLOUD_PROVIDERS.map((p) => [
      p,
      nameIndex(
        cloudRegions.filter((r) => r.provider === p),
        (r) => [r.id],
        (r) => r.id,
      ),
    ]),
  );
  const index = regionIndexes.get(provider);
  if (index === undefined) throw new Error(`no region index for ${provider}`);
  return index;
}

/** How to look instance types up, for messages that found none (the CLI's words: see HARDWARE_HINT). */
export const INSTANCE_HINT = "run `wattprint hardware <query>` to search instances";
/** How to look regions up, for messages that found none. */
export const REGION_HINT = "run `wattprint zones <query>` to search regions";

/**
 * An instance type by name, case and punctuation blind. With a provider, an instance of
 * another provider is an error naming it; without one, the name alone decides (they do not
 * collide across providers).
 */
export function findCloudInstance(
  query: string,
  provider?: CloudProvider,
): Result<CloudInstance, CloudLookupError> {
  const hit = instances().exact(query);
  if (hit !== undefined && (provider === undefined || hit.provider === provider)) return ok(hit);
  if (hit !== undefined && provider !== undefined) {
    const message =
      `instance "${query}" is a ${CLOUD_NAMES[hit.provider]} instance, not ` +
      `${CLOUD_NAMES[provider]}; give cloud ${hit.provider}, or a ${provider} instance`;
    return err(failure("unknown-instance", message, { query, suggestions: [hit.name] }));
  }
  const suggestions = instances()
    .suggest(query, MAX_SUGGESTIONS * 3)
    .filter((name) => provider === undefined || instances().exact(name)?.provider === provider)
    .slice(0, MAX_SUGGESTIONS);
  return lookupError("unknown-instance", query, "instance type", suggestions, INSTANCE_HINT);
}

/** A provider's region by its id (`us-east-1`, `europe-west4`, `westeurope`). */
export function findCloudRegion(
  provider: CloudProvider,
  query: string,
): Result<CloudRegion, CloudLookupError> {
  const hit = regions(provider).exact(query);
  if (hit !== undefined) {
    // The index ignores punctuation, so "us east1" finds GCP's us-east1; but "us-east-1" is
    // AWS's N. Virginia, another grid than GCP's South Carolina: a hit that is written as
    // another provider's region id is a mistake to name, never an answer.
    const typed = query.trim().toLowerCase();
    const elsewhere =
      hit.id.toLowerCase() === typed
        ? undefined
        : cloudRegions.find((r) => r.provider !== provider && r.id.toLowerCase() === typed);
    if (elsewhere === undefined) return ok(hit);
    const message =
      `unknown ${provider} region "${query}": that is ${CLOUD_NAMES[elsewhere.provider]}'s ` +
      `${elsewhere.location}; did you mean ${hit.id} (${hit.location})? (${REGION_HINT})`;
    return err(failure("unknown-region", message, { query, suggestions: [hit.id] }));
  }
  const suggestions = regions(provider).suggest(query, MAX_SUGGESTIONS);
  return lookupError("unknown-region", query, `${provider} region`, suggestions, REGION_HINT);
}

const words = (query: string): string[] =>
  query
    .toLowerCase()
    .split(/[^a-z0-9+]+/)
    .filter((w) => w.length > 0);

/** Instances whose name, family, provider or parts contain every query word. */
export function searchCloudInstances(
  query = "",
  provider?: CloudProvider,
): readonly CloudInstance[] {
  const wanted = words(query);
  return cloudInstances.filter((i) => {
    if (provider !== undefined && i.provider !== provider) return false;
    const haystack = [i.name, i.family, i.provider, i.accelerators?.hardware ?? "", i.cpu.hardware]
      .join(" ")
      .toLowerCase();
    return wanted.every((w) => haystack.includes(w));
  });
}

/** Regions whose id, location, zone or provider contain every query word. */
export function searchCloudRegions(query = "", provider?: CloudProvider): readonly CloudRegion[] {
  const wanted = words(query);
  return cloudRegions.filter((r) => {
    if (provider !== undefined && r.provider !== provider) return false;
    const haystack = [r.id, r.location, r.zone, r.provider].join(" ").toLowerCase();
    return wanted.every((w) => haystack.includes(w));
  });
}
