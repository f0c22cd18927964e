/**
 * Which Electricity Maps zones (US balancing areas, the EIA-930 balancing authorities) serve
 * each US state, written by the project from the grid operators' own descriptions of their
 * footprints and EIA's balancing-authority list. A state's electricity is not one number when
 * several balancing areas serve it, so:
 *
 * - `zones` lists the balancing areas serving a meaningful part of the state's load, the
 *   largest first where the sources say which is largest;
 * - `share` is the fraction of the state's load a zone serves, given only where the operator
 *   publishes it (ERCOT: about 90 % of Texas load; CAISO: about 80 % of California demand);
 * - `primary` is the zone an estimate uses for the state name, set only where the sources say
 *   one zone serves all or most of the state. Where none does, the state name is refused with
 *   its zones as suggestions, rather than silently picking one.
 */
export interface StateZone {
  readonly zone: string;
  /** Fraction 0..1 of the state's load, where a source publishes it. */
  readonly share?: number;
}

export interface StateSource {
  readonly url: string;
  /** What the page says that this row relies on, in our words. */
  readonly says: string;
}

export interface UsState {
  readonly code: string;
  readonly name: string;
  readonly zones: readonly StateZone[];
  readonly primary?: string;
  readonly sources: readonly StateSource[];
}

export const usStatesSource = {
  id: "wattprint-us-state-zones",
  title:
    "US states to balancing areas (wattprint table from grid operators' footprints and EIA-930)",
  url: "https://www.eia.gov/electricity/gridmonitor/about",
} as const;

const EIA: StateSource = {
  url: "https://www.eia.gov/electricity/gridmonitor/about",
  says: "EIA-930 lists the US balancing authorities (the zone ids' last part) and maps their service areas",
};
const PJM: StateSource = {
  url: "https://www.pjm.com/about-pjm/who-we-are",
  says: "PJM serves all or parts of DE, IL, IN, KY, MD, MI, NJ, NC, OH, PA, TN, VA, WV and DC",
};
const MISO: StateSource = {
  url: "https://www.misoenergy.org/about/",
  says: "MISO serves all or parts of 15 states (AR, IL, IN, IA, KY, LA, MI, MN, MS, MO, MT, ND, SD, TX, WI) and Manitoba",
};
const SPP: StateSource = {
  url: "https://www.spp.org/about-us/",
  says: "SPP serves all or parts of 14 states (AR, IA, KS, LA, MN, MO, MT, NE, NM, ND, OK, SD, TX, WY)",
};
const ISONE: StateSource = {
  url: "https://www.iso-ne.com/about",
  says: "ISO New England operates the grid of CT, ME, MA, NH, RI and VT",
};
const NYISO: StateSource = {
  url: "https://www.nyiso.com/what-we-do",
  says: "NYISO operates New York State's bulk grid",
};
const TVA: StateSource = {
  url: "https://www.tva.com/about-tva",
  says: "TVA serves most of Tennessee and parts of AL, GA, KY, MS, NC and VA",
};
const ERCOT: StateSource = {
  url: "https://www.ercot.com/about",
  says: "ERCOT manages the flow of power to about 90 % of Texas's electric load",
};
const CAISO: StateSource = {
  url: "https://www.caiso.com/about",
  says: "the California ISO manages the grid for about 80 % of California's demand (and part of Nevada)",
};
const SOUTHERN: StateSource = {
  url: "https://www.southerncompany.com/about.html",
  says: "Southern Company's utilities (Alabama Power, Georgia Power, Mississippi Power) form the Southern Company Services balancing area",
};

const row = (
  code: string,
  name: string,
  zones: readonly (string | StateZone)[],
  primary: string | undefined,
  sources: readonly StateSource[],
): UsState => ({
  code,
  name,
  zones: zones.map((zone) => (typeof zone === "string" ? { zone } : zone)),
  ...(primary === undefined ? {} : { primary }),
  sources: [...sources, EIA],
});

const PJM_ZONE = "US-MIDA-PJM";
const MISO_ZONE = "US-MIDW-MISO";
const SPP_ZONE = "US-CENT-SWPP";
const NE_ZONE = "US-NE-ISNE";
const TVA_ZONE = "US-TEN-TVA";
const SOCO_ZONE = "US-SE-SOCO";

/** The 50 states and DC. */
export const usStates: readonly UsState[] = [
  row("AL", "Alabama", [SOCO_ZONE, TVA_ZONE], SOCO_ZONE, [SOUTHERN, TVA]),
  row("AK", "Alaska", ["US-AK", "US-AK-SEAPA"], "US-AK", []),
  row("AZ", "Arizona", ["US-SW-AZPS", "US-SW-SRP", "US-SW-TEPC", "US-SW-WALC"], undefined, []),
  row("AR", "Arkansas", [MISO_ZONE, SPP_ZONE, "US-MIDW-AECI"], undefined, [MISO, SPP]),
  row(
    "CA",
    "California",
    [
      { zone: "US-CAL-CISO", share: 0.8 },
      "US-CAL-LDWP",
      "US-CAL-BANC",
      "US-CAL-IID",
      "US-CAL-TIDC",
    ],
    "US-CAL-CISO",
    [CAISO],
  ),
  row("CO", "Colorado", ["US-NW-PSCO", "US-NW-WACM"], undefined, []),
  row("CT", "Connecticut", [NE_ZONE], NE_ZONE, [ISONE]),
  row("DE", "Delaware", [PJM_ZONE], PJM_ZONE, [PJM]),
  row("DC", "District of Columbia", [PJM_ZONE], PJM_ZONE, [PJM]),
  row(
    "FL",
    "Florida",
    [
      "US-FLA-FPL",
      "US-FLA-FPC",
      "US-FLA-TEC",
      "US-FLA-JEA",
      "US-FLA-FMPP",
      "US-FLA-SEC",
      "US-FLA-TAL",
      "US-FLA-GVL",
      "US-FLA-HST",
    ],
    undefined,
    [],
  ),
  row("GA", "Georgia", [SOCO_ZONE, TVA_ZONE], SOCO_ZONE, [SOUTHERN, TVA]),
  row("HI", "Hawaii", ["US-HI"], "US-HI", []),
  row("ID", "Idaho", ["US-NW-IPCO", "US-NW-PACE", "US-NW-AVA", "US-NW-BPAT"], undefined, []),
  row("IL", "Illinois", [PJM_ZONE, MISO_ZONE], undefined, [PJM, MISO]),
  row("IN", "Indiana", [MISO_ZONE, PJM_ZONE], undefined, [PJM, MISO]),
  row("IA", "Iowa", [MISO_ZONE, SPP_ZONE], undefined, [MISO, SPP]),
  row("KS", "Kansas", [SPP_ZONE], SPP_ZONE, [SPP]),
  row("KY", "Kentucky", ["US-MIDW-LGEE", PJM_ZONE, TVA_ZONE, MISO_ZONE], undefined, [
    PJM,
    MISO,
    TVA,
  ]),
  row("LA", "Louisiana", [MISO_ZONE, SPP_ZONE], undefined, [MISO, SPP]),
  row("ME", "Maine", [NE_ZONE], NE_ZONE, [ISONE]),
  row("MD", "Maryland", [PJM_ZONE], PJM_ZONE, [PJM]),
  row("MA", "Massachusetts", [NE_ZONE], NE_ZONE, [ISONE]),
  row("MI", "Michigan", [MISO_ZONE, PJM_ZONE], undefined, [MISO, PJM]),
  row("MN", "Minnesota", [MISO_ZONE, SPP_ZONE], undefined, [MISO, SPP]),
  row("MS", "Mississippi", [MISO_ZONE, SOCO_ZONE, TVA_ZONE], undefined, [MISO, SOUTHERN, TVA]),
  row("MO", "Missouri", [MISO_ZONE, SPP_ZONE, "US-MIDW-AECI"], undefined, [MISO, SPP]),
  row("MT", "Montana", ["US-NW-NWMT", "US-NW-WAUW", "US-NW-BPAT", SPP_ZONE, MISO_ZONE], undefined, [
    MISO,
    SPP,
  ]),
  row("NE", "Nebraska", [SPP_ZONE], SPP_ZONE, [SPP]),
  row("NV", "Nevada", ["US-NW-NEVP", "US-CAL-CISO"], undefined, [CAISO]),
  row("NH", "New Hampshire", [NE_ZONE], NE_ZONE, [ISONE]),
  row("NJ", "New Jersey", [PJM_ZONE], PJM_ZONE, [PJM]),
  row("NM", "New Mexico", ["US-SW-PNM", "US-SW-EPE", SPP_ZONE], undefined, [SPP]),
  row("NY", "New York", ["US-NY-NYIS"], "US-NY-NYIS", [NYISO]),
  row(
    "NC",
    "North Carolina",
    ["US-CAR-DUK", "US-CAR-CPLE", "US-CAR-CPLW", PJM_ZONE, TVA_ZONE, "US-CAR-YAD"],
    undefined,
    [PJM, TVA],
  ),
  row("ND", "North Dakota", [MISO_ZONE, SPP_ZONE], undefined, [MISO, SPP]),
  row("OH", "Ohio", [PJM_ZONE], PJM_ZONE, [PJM]),
  row("OK", "Oklahoma", [SPP_ZONE], SPP_ZONE, [SPP]),
  row("OR", "Oregon", ["US-NW-PACW", "US-NW-PGE", "US-NW-BPAT"], undefined, []),
  row("PA", "Pennsylvania", [PJM_ZONE], PJM_ZONE, [PJM]),
  row("RI", "Rhode Island", [NE_ZONE], NE_ZONE, [ISONE]),
  row(
    "SC",
    "South Carolina",
    ["US-CAR-SCEG", "US-CAR-SC", "US-CAR-DUK", "US-CAR-CPLE"],
    undefined,
    [],
  ),
  row("SD", "South Dakota", [SPP_ZONE, MISO_ZONE, "US-NW-WAUW"], undefined, [MISO, SPP]),
  row("TN", "Tennessee", [TVA_ZONE], TVA_ZONE, [TVA]),
  row(
    "TX",
    "Texas",
    [{ zone: "US-TEX-ERCO", share: 0.9 }, SPP_ZONE, MISO_ZONE, "US-SW-EPE"],
    "US-TEX-ERCO",
    [ERCOT, SPP, MISO],
  ),
  row("UT", "Utah", ["US-NW-PACE"], "US-NW-PACE", []),
  row("VT", "Vermont", [NE_ZONE], NE_ZONE, [ISONE]),
  row("VA", "Virginia", [PJM_ZONE, TVA_ZONE], PJM_ZONE, [PJM, TVA]),
  row(
    "WA",
    "Washington",
    [
      "US-NW-BPAT",
      "US-NW-PSEI",
      "US-NW-SCL",
      "US-NW-AVA",
      "US-NW-TPWR",
      "US-NW-PACW",
      "US-NW-CHPD",
      "US-NW-DOPD",
      "US-NW-GCPD",
    ],
    undefined,
    [],
  ),
  row("WV", "West Virginia", [PJM_ZONE], PJM_ZONE, [PJM]),
  row("WI", "Wisconsin", [MISO_ZONE], MISO_ZONE, [MISO]),
  row("WY", "Wyoming", ["US-NW-PACE", "US-NW-WACM", SPP_ZONE], undefined, [SPP]),
];
