/**
 * Sub-national names that are not Electricity Maps zone names but that users (and the
 * SustainML `geo_location_region` field) commonly give. Written by the project. A US state maps
 * to the balancing area serving most of its load (EIA-930 balancing-area map); a region inside
 * a single national grid maps to its country.
 */
export interface RegionAlias {
  readonly name: string;
  readonly target: { readonly zone: string } | { readonly country: string };
  readonly note: string;
}

const BA_NOTE = "state mapped to the balancing area serving most of its load";
const NATIONAL_NOTE = "region inside a single national grid zone; country value used";

export const regionAliasesSource = {
  id: "wattprint-region-aliases",
  url: "https://www.eia.gov/electricity/gridmonitor/about",
} as const;

export const regionAliases: readonly RegionAlias[] = [
  { name: "California", target: { zone: "US-CAL-CISO" }, note: BA_NOTE },
  { name: "Texas", target: { zone: "US-TEX-ERCO" }, note: BA_NOTE },
  { name: "New York", target: { zone: "US-NY-NYIS" }, note: BA_NOTE },
  { name: "New York State", target: { zone: "US-NY-NYIS" }, note: BA_NOTE },
  { name: "New England", target: { zone: "US-NE-ISNE" }, note: BA_NOTE },
  { name: "Tennessee", target: { zone: "US-TEN-TVA" }, note: BA_NOTE },
  { name: "Catalonia", target: { country: "ES" }, note: NATIONAL_NOTE },
  { name: "Catalunya", target: { country: "ES" }, note: NATIONAL_NOTE },
  { name: "Cataluña", target: { country: "ES" }, note: NATIONAL_NOTE },
  { name: "Andalusia", target: { country: "ES" }, note: NATIONAL_NOTE },
  { name: "Basque Country", target: { country: "ES" }, note: NATIONAL_NOTE },
  { name: "Community of Madrid", target: { country: "ES" }, note: NATIONAL_NOTE },
  { name: "Bavaria", target: { country: "DE" }, note: NATIONAL_NOTE },
  { name: "Île-de-France", target: { country: "FR" }, note: NATIONAL_NOTE },
  { name: "Scotland", target: { country: "GB" }, note: NATIONAL_NOTE },
  { name: "Wales", target: { country: "GB" }, note: NATIONAL_NOTE },
];
