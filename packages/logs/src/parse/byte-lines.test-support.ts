import fc from "fast-check";
import { type ByteLineSink, emitLines } from "./line-reader.ts";

/** A record's stamp, as both writers print it. */
export const STAMP = "2026-01-01 00:00:00 - ";

/** Lines no parser reads: a traceback, an empty line, a lone CR, non-ASCII text. */
export const STRAY_LINES = ["Traceback (most recent call last):", "", "\r", "\uFFFD\u00e9"];

/** `H:MM:SS` or `H:MM:SS.f`, hours and fraction up to the given values. */
export function clockArb(maxHours: number, maxFraction: number): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.nat(maxHours),
      fc.nat(59),
      fc.nat(59),
      fc.option(fc.nat(maxFraction), { nil: undefined }),
    )
    .map(
      ([h, m, s, f]) =>
        `${h}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}${f === undefined ? "" : `.${f}`}`,
    );
}

interface FinishingSink<T> extends ByteLineSink {
  finish(): T;
}

/**
 * Two readers of a log held in `bytes`, each with a fresh parser: `byStrings`, the reference
 * (each line decoded and handed to `line`), and `byBytes`, the parser's byte path.
 */
export function readBothWays<T>(newParser: () => FinishingSink<T>) {
  return {
    byStrings(bytes: Buffer) {
      const parser = newParser();
      const lastLine = emitLines(bytes.toString("utf8", 0, bytes.lastIndexOf(10)), parser, 0);
      return { lastLine, log: parser.finish() };
    },
    byBytes(bytes: Buffer) {
      const parser = newParser();
      const lastLine = parser.lines(bytes, 0, bytes.lastIndexOf(10), 0);
      return { lastLine, log: parser.finish() };
    },
  };
}
