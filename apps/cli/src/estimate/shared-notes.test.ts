import { describe, expect, it } from "vitest";
import { sharedNotes } from "./shared-notes.ts";

const CONTEXT = "part of 1 x p5.48xlarge (https://example.org/p5); sizes seen on a page";

describe("sharedNotes", () => {
  it("takes out the clauses every noted row ends with, once, and keeps each row's own", () => {
    const result = sharedNotes([
      CONTEXT,
      `no published TDP; 225 W is another part's; ${CONTEXT}`,
      undefined,
      CONTEXT,
    ]);
    expect(result).toEqual({
      shared: CONTEXT,
      own: [undefined, "no published TDP; 225 W is another part's", undefined, undefined],
    });
  });

  it("shares nothing when the notes end differently or only one row has a note", () => {
    expect(sharedNotes(["a; b", "a; c"])).toEqual({ shared: undefined, own: ["a; b", "a; c"] });
    expect(sharedNotes(["a; b", undefined, ""])).toEqual({
      shared: undefined,
      own: ["a; b", undefined, undefined],
    });
  });

  it("shares whole clauses only, never part of one", () => {
    // "b" and "xb" end alike as text but are different clauses.
    expect(sharedNotes(["a; b", "xb"]).shared).toBeUndefined();
    expect(sharedNotes(["a; x; b", "c; x; b"])).toEqual({ shared: "x; b", own: ["a", "c"] });
  });
});
