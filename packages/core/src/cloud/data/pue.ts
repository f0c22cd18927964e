import type { CloudProvider } from "../cloud.ts";

/**
 * The PUE profile (`src/pue.ts`) holding each provider's own published fleet-wide PUE. None
 * publishes one per region in a form that maps onto its region list (Google gives per-campus
 * figures, Microsoft per geography), so the fleet figure applies everywhere and says so.
 */
export const CLOUD_PUE_PROFILE: Readonly<Record<CloudProvider, string>> = {
  aws: "aws",
  gcp: "gcp",
  azure: "azure",
};
