/**
 * The largest energy (kWh), CO2 (g) or equivalent one record may hold: millions of times the
 * world's yearly electricity use (about 3e13 kWh), and small enough that the sums over any
 * folder (the aggregate, the report's totals) stay finite. In a file of its own so that the
 * writer, which holds what it writes to it, does not load the reader's schemas.
 */
export const MAX_RECORD_VALUE = 1e20;
