import type { CloudProvider, CloudRegion } from "../cloud.ts";

/**
 * `[region id, location as the provider gives it, grid zone, why that zone]`. The zone is the
 * one the intensity data knows for that place: the country where the grid is national, else
 * the balancing authority (US, per EIA-930) or bidding zone (Nordics, Italy, Japan, India,
 * Australia, Brazil, Canada's provinces) that serves the location.
 */
type Row = readonly [id: string, location: string, zone: string, why?: string];

const PJM = "Northern Virginia and Ohio are in the PJM Interconnection balancing area";

const ROWS: Readonly<Record<CloudProvider, readonly Row[]>> = {
  aws: [
    ["us-east-1", "US East (N. Virginia)", "US-MIDA-PJM", PJM],
    ["us-east-2", "US East (Ohio)", "US-MIDA-PJM", PJM],
    ["us-west-1", "US West (N. California)", "US-CAL-CISO", "served by the California ISO"],
    [
      "us-west-2",
      "US West (Oregon)",
      "US-NW-BPAT",
      "eastern Oregon is in the Bonneville Power Administration area",
    ],
    ["ca-central-1", "Canada (Central), Montréal", "CA-QC", "Québec's grid (Hydro-Québec)"],
    ["eu-west-1", "Europe (Ireland)", "IE"],
    ["eu-west-2", "Europe (London)", "GB"],
    ["eu-west-3", "Europe (Paris)", "FR"],
    ["eu-central-1", "Europe (Frankfurt)", "DE"],
    ["eu-central-2", "Europe (Zurich)", "CH"],
    ["eu-north-1", "Europe (Stockholm)", "SE-SE3", "Stockholm is in bidding zone SE3"],
    ["eu-south-1", "Europe (Milan)", "IT-NO", "Milan is in the North Italy bidding zone"],
    ["eu-south-2", "Europe (Spain), Aragón", "ES"],
    ["ap-northeast-1", "Asia Pacific (Tokyo)", "JP-TK", "TEPCO's area"],
    ["ap-northeast-2", "Asia Pacific (Seoul)", "KR"],
    ["ap-northeast-3", "Asia Pacific (Osaka)", "JP-KN", "Kansai's area"],
    ["ap-southeast-1", "Asia Pacific (Singapore)", "SG"],
    ["ap-southeast-2", "Asia Pacific (Sydney)", "AU-NSW", "New South Wales region of the NEM"],
    ["ap-south-1", "Asia Pacific (Mumbai)", "IN-WE", "Mumbai is on India's Western grid"],
    [
      "sa-east-1",
      "South America (São Paulo)",
      "BR-CS",
      "São Paulo is on Brazil's Central-South subsystem",
    ],
    ["me-central-1", "Middle East (UAE)", "AE"],
    ["af-south-1", "Africa (Cape Town)", "ZA"],
    ["il-central-1", "Israel (Tel Aviv)", "IL"],
  ],
  gcp: [
    ["us-central1", "Council Bluffs, Iowa", "US-MIDW-MISO", "Iowa is in the MISO balancing area"],
    [
      "us-east1",
      "Moncks Corner, South Carolina",
      "US-CAR-SC",
      "served by Santee Cooper (South Carolina Public Service Authority)",
    ],
    ["us-east4", "Ashburn, Virginia", "US-MIDA-PJM", PJM],
    ["us-east5", "Columbus, Ohio", "US-MIDA-PJM", PJM],
    [
      "us-west1",
      "The Dalles, Oregon",
      "US-NW-BPAT",
      "The Dalles is in the Bonneville Power Administration area",
    ],
    ["us-west4", "Las Vegas, Nevada", "US-NW-NEVP", "NV Energy's balancing area"],
    ["us-south1", "Dallas, Texas", "US-TEX-ERCO", "ERCOT"],
    ["northamerica-northeast1", "Montréal, Québec", "CA-QC"],
    ["northamerica-northeast2", "Toronto, Ontario", "CA-ON"],
    ["europe-west1", "St. Ghislain, Belgium", "BE"],
    ["europe-west2", "London, England", "GB"],
    ["europe-west3", "Frankfurt, Germany", "DE"],
    ["europe-west4", "Eemshaven, Netherlands", "NL"],
    ["europe-west6", "Zurich, Switzerland", "CH"],
    ["europe-west8", "Milan, Italy", "IT-NO", "Milan is in the North Italy bidding zone"],
    ["europe-west9", "Paris, France", "FR"],
    ["europe-north1", "Hamina, Finland", "FI"],
    ["europe-southwest1", "Madrid, Spain", "ES"],
    ["asia-northeast1", "Tokyo, Japan", "JP-TK", "TEPCO's area"],
    ["asia-northeast3", "Seoul, South Korea", "KR"],
    ["asia-southeast1", "Jurong West, Singapore", "SG"],
    ["asia-south1", "Mumbai, India", "IN-WE", "Mumbai is on India's Western grid"],
    ["australia-southeast1", "Sydney, Australia", "AU-NSW", "New South Wales region of the NEM"],
    [
      "southamerica-east1",
      "Osasco, São Paulo, Brazil",
      "BR-CS",
      "São Paulo is on Brazil's Central-South subsystem",
    ],
  ],
  azure: [
    ["eastus", "Virginia", "US-MIDA-PJM", PJM],
    ["eastus2", "Virginia", "US-MIDA-PJM", PJM],
    ["centralus", "Iowa", "US-MIDW-MISO", "Iowa is in the MISO balancing area"],
    ["northcentralus", "Illinois", "US-MIDA-PJM", "northern Illinois (ComEd) is in PJM"],
    ["southcentralus", "Texas", "US-TEX-ERCO", "ERCOT"],
    ["westus", "California", "US-CAL-CISO", "served by the California ISO"],
    ["westus2", "Washington (Quincy)", "US-NW-GCPD", "Quincy is served by Grant County PUD"],
    ["canadacentral", "Toronto", "CA-ON"],
    ["northeurope", "Ireland", "IE"],
    ["westeurope", "Netherlands", "NL"],
    ["uksouth", "London", "GB"],
    ["francecentral", "Paris", "FR"],
    ["germanywestcentral", "Frankfurt", "DE"],
    ["swedencentral", "Gävle and Sandviken", "SE-SE3", "Gävle is in bidding zone SE3"],
    ["switzerlandnorth", "Zurich", "CH"],
    ["norwayeast", "Oslo", "NO-NO1", "Oslo is in bidding zone NO1"],
    ["japaneast", "Tokyo, Saitama", "JP-TK", "TEPCO's area"],
    ["koreacentral", "Seoul", "KR"],
    ["southeastasia", "Singapore", "SG"],
    ["australiaeast", "New South Wales", "AU-NSW", "New South Wales region of the NEM"],
    ["centralindia", "Pune", "IN-WE", "Pune is on India's Western grid"],
    ["brazilsouth", "São Paulo State", "BR-CS", "São Paulo is on Brazil's Central-South subsystem"],
  ],
};

const SOURCE: Readonly<Record<CloudProvider, string>> = {
  aws: "aws-regions",
  gcp: "gcp-regions",
  azure: "azure-regions",
};

export const cloudRegions: readonly CloudRegion[] = (
  Object.entries(ROWS) as [CloudProvider, readonly Row[]][]
).flatMap(([provider, rows]) =>
  rows.map(([id, location, zone, why]) => ({
    provider,
    id,
    location,
    zone,
    sourceId: SOURCE[provider],
    ...(why !== undefined ? { note: why } : {}),
  })),
);
