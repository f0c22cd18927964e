/** This package's version, written into every result (a test checks it against package.json). */
export const WATTPRINT_VERSION = "0.0.0";
