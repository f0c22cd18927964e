/**
 * The failure kinds are the core's measured-task vocabulary (`@wattprint/core`'s
 * `MeasureFailureKind`, documented there), the ones the bus node's `Measurer` port names, so
 * this package's answers go to the node as they are.
 */
export type { MeasureFailure, MeasureFailureKind } from "@wattprint/core";
