import { err, type Failure, failure, ok, type Result } from "@wattprint/result";
import type { Provenance, SourceRef } from "./provenance.ts";
import { userSupplied } from "./provenance.ts";
import { parseDecimal } from "./units/parse.ts";

/**
 * Power usage effectiveness: facility energy / IT energy. The estimation core multiplies IT
 * energy by it, so a PUE below 1 is physically impossible and rejected.
 */
export interface PueValue {
  readonly value: number;
  readonly provenance: Provenance;
}

export interface PueProfile {
  readonly id: string;
  readonly description: string;
  readonly value: number;
  readonly source: SourceRef;
}

const UPTIME_2024: SourceRef = {
  id: "uptime-gdcs-2024",
  title: "Uptime Institute Global Data Center Survey 2024 (industry average annual PUE)",
  url: "https://uptimeinstitute.com/resources/research-and-reports/uptime-institute-global-data-center-survey-results-2024",
  year: 2024,
};
const UPTIME_2023: SourceRef = {
  id: "uptime-gdcs-2023",
  title: "Uptime Institute Global Data Center Survey 2023 (industry average annual PUE)",
  url: "https://uptimeinstitute.com/resources/research-and-reports/uptime-institute-global-data-center-survey-results-2023",
  year: 2023,
};
const GOOGLE_2024: SourceRef = {
  id: "google-env-report-2024",
  title: "Google 2024 Environmental Report (fleet-wide trailing twelve-month PUE, 2023)",
  url: "https://www.google.com/about/datacenters/efficiency/",
  year: 2023,
};
const GOOGLE_2025: SourceRef = {
  id: "google-env-report-2025",
  title: "Google data centers, efficiency: fleet-wide trailing twelve-month PUE 1.09 in 2024",
  url: "https://www.google.com/about/datacenters/efficiency/",
  year: 2024,
};
const AWS_2024: SourceRef = {
  id: "aws-sustainability-2024",
  title: "AWS sustainability, data centers: global PUE 1.15 in 2024",
  url: "https://aws.amazon.com/sustainability/data-centers/",
  year: 2024,
};
const AZURE: SourceRef = {
  id: "microsoft-datacenter-efficiency",
  title:
    "Microsoft datacenters, efficiency: PUE and WUE by geography. The worldwide operating PUE " +
    "1.18 was not confirmed on this page (seen only in trade press); the newest designs' 1.12 " +
    "is reported by Windows Central from Microsoft's April 2022 Azure blog",
  url: "https://datacenters.microsoft.com/sustainability/efficiency/",
  year: 2023,
};
const LOCAL: SourceRef = {
  id: "definition-local",
  title: "No facility overhead: a machine outside a data centre (PUE definition, ISO/IEC 30134-2)",
  url: "https://www.iso.org/standard/63451.html",
  year: 2016,
};

export const PUE_PROFILES: readonly PueProfile[] = [
  { id: "industry", description: "average data centre", value: 1.56, source: UPTIME_2024 },
  {
    id: "industry-2023",
    description: "average data centre (2023 survey; carbontracker's default)",
    value: 1.58,
    source: UPTIME_2023,
  },
  { id: "google", description: "Google data centres, 2023", value: 1.1, source: GOOGLE_2024 },
  {
    id: "gcp",
    description: "Google Cloud data centres, 2024",
    value: 1.09,
    source: GOOGLE_2025,
  },
  { id: "aws", description: "Amazon Web Services data centres", value: 1.15, source: AWS_2024 },
  { id: "azure", description: "Microsoft Azure data centres", value: 1.18, source: AZURE },
  { id: "local", description: "a workstation or laptop", value: 1.0, source: LOCAL },
];

/**
 * The default assumes an unknown data centre, the common case for ML training and for the
 * SustainML node, which is told nothing about where the model will run.
 */
export const DEFAULT_PUE_PROFILE_ID = "industry";

/** Below 1, above 5, or neither a number nor a profile id; `input` is what was given. */
export interface PueError extends Failure<"invalid-pue"> {
  readonly input: string | number;
}

function fromProfile(profile: PueProfile): PueValue {
  return {
    value: profile.value,
    provenance: {
      source: profile.source,
      method: `PUE profile "${profile.id}" (${profile.description})`,
    },
  };
}

export function defaultPue(): PueValue {
  const profile = PUE_PROFILES.find((p) => p.id === DEFAULT_PUE_PROFILE_ID);
  if (!profile) throw new Error(`default PUE profile ${DEFAULT_PUE_PROFILE_ID} missing`);
  return fromProfile(profile);
}

/** Accepts a number ("1.2") or a profile id ("google"); undefined gives the default. */
export function resolvePue(input?: string | number): Result<PueValue, PueError> {
  if (input === undefined) return ok(defaultPue());
  if (typeof input === "string") {
    const profile = PUE_PROFILES.find((p) => p.id === input.trim().toLowerCase());
    if (profile) return ok(fromProfile(profile));
  }
  let value: number;
  if (typeof input === "number") {
    value = input;
  } else {
    // parseDecimal, not Number(): "0x2" or "" must not pass for a PUE of 2 or 0.
    const parsed = parseDecimal(input);
    if (!parsed.ok && parsed.error.kind === "not-a-number") {
      const ids = PUE_PROFILES.map((p) => p.id).join(", ");
      const message = `PUE "${input}" is neither a number nor one of: ${ids}`;
      return err(failure("invalid-pue", message, { input }));
    }
    // Beyond a double ("1e400") is as implausible as 6, and said so below.
    value = parsed.ok ? parsed.value : Number.MAX_VALUE;
  }
  if (!Number.isFinite(value) || value < 1) {
    return err(failure("invalid-pue", `PUE must be a number >= 1 (got ${input})`, { input }));
  }
  if (value > 5) {
    const message = `PUE ${input} is implausible (> 5); check the value`;
    return err(failure("invalid-pue", message, { input }));
  }
  return ok({ value, provenance: userSupplied("PUE") });
}
