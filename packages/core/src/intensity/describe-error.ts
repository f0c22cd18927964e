import type { IntensityError } from "./grid-intensity.ts";

/** One line for a person, and the suggestions to offer, for every intensity error. */
export function describeIntensityError(error: IntensityError): {
  message: string;
  suggestions: readonly string[];
} {
  switch (error.kind) {
    case "empty-query":
      return { message: `empty location; ${error.hint}`, suggestions: [] };
    case "unknown-location": {
      const close =
        error.suggestions.length > 0 ? `; did you mean ${error.suggestions.join(", ")}?` : "";
      return {
        message: `unknown location "${error.query}"${close} (${error.hint})`,
        suggestions: error.suggestions,
      };
    }
    case "invalid-override":
      return {
        message: `grid intensity override ${error.value} must be a non-negative number`,
        suggestions: [],
      };
    case "unknown-year":
      return {
        message: `no grid data for ${error.year}; available: ${error.available.join(", ")}`,
        suggestions: [],
      };
  }
}
