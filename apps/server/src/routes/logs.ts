import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { EEA_NEW_CAR_2024 } from "@wattprint/core/equivalents";
import {
  AggregateAccumulator,
  classifyLogFileName,
  type FileProblem,
  type ParsedLogPair,
  parsedLogPairSchema,
  scanLogDir,
} from "@wattprint/logs";
import { z } from "zod";
import type { RouteContext, TypedApp } from "../app-types.ts";
import { contentEncodingProblem } from "../http/body-encoding.ts";
import { PROBLEM_RESPONSES } from "../http/common-responses.ts";
import { ProblemError } from "../http/problem.ts";
import { MAX_UPLOAD_FIELDS, MAX_UPLOAD_FILES } from "../options.ts";

/** How carbontracker made the equivalents its logs hold: its own factor, by version. */
const FROM_LOGS =
  "as each output log wrote them: carbontracker's car km at its version's factor (2.4.3: 106.8 gCO2/km, EEA 2024; 2.3.1: 107.5 gCO2/km); a run whose log has none (interpretable=False) gets car km computed here, counted in computed.runs";

const fileProblemSchema = z.object({
  file: z.string(),
  kind: z.string(),
  message: z.string(),
  line: z.number().optional(),
});

const parsedLogsSchema = z
  .object({
    logs: z
      .array(parsedLogPairSchema)
      .describe("carbontracker's parse_all_logs, by output file name"),
    aggregate: z.object({
      energyKWh: z.number(),
      co2eqG: z.number(),
      equivalents: z.record(z.string(), z.number()),
      equivalentsBasis: z
        .object({
          fromLogs: z.string(),
          computed: z.object({
            runs: z.number().int(),
            source: z.object({
              id: z.string(),
              title: z.string(),
              url: z.string(),
              year: z.number().int(),
            }),
          }),
        })
        .describe("Where the equivalents come from: as each log wrote them, or computed here"),
      runsCounted: z.number().int(),
      runsWithoutConsumption: z.number().int(),
      runsWithUnknownCo2: z.number().int(),
    }),
    skipped: z.array(fileProblemSchema).describe("Files that could not be used, and why"),
    warnings: z
      .array(fileProblemSchema)
      .describe(
        "Problems of runs still read: a damaged standard log (the run is counted from its output log, with no components)",
      ),
  })
  .meta({ id: "ParsedLogs" });

/**
 * What one upload may make the server parse and answer. carbontracker's format repeats each
 * epoch's duration for every component, and the answer holds a power and an energy per device
 * per epoch: one 10 MB log of 64 components and 220,000 epochs made a 127 MB answer, a
 * gigabyte of memory and 18 s of CPU, and five such a 500. Real runs have a few components
 * and at most thousands of epochs.
 */
export const UPLOAD_LIMITS = {
  /** Epochs read per log (the parser's own default is 1,000,000). */
  maxEpochs: 100_000,
  /** Components per log (the parser's default, 64). */
  maxComponents: 16,
  /** Numbers in one answer, every pair together: about 20 MB of JSON. */
  maxAnswerValues: 1_000_000,
  /** Characters of an uploaded file's name (a longer one cannot be a file on disk). */
  maxFileNameChars: 200,
  /**
   * Bytes of an uploaded file's name in UTF-8: a file system takes at most 255 (NAME_MAX), and
   * 150 "é" (under the character limit) failed with ENAMETOOLONG.
   */
  maxFileNameBytes: 255,
} as const;

/** Control characters (NUL among them): no log is named with one, and NUL ends a path. */
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/** The numbers a parsed pair puts in the answer: per component, durations and per-device figures. */
export function answerValues(pair: ParsedLogPair): number {
  let values = 0;
  for (const component of Object.values(pair.components)) {
    values += component["epoch_durations (s)"]?.length ?? 0;
    for (const figures of [component["avg_power_usages (W)"], component["avg_energy_usages (J)"]])
      for (const epoch of figures ?? []) values += epoch.length;
  }
  return values;
}

/**
 * The multipart reader's limits, as what the client sent too much of (its own messages, such
 * as busboy's "reach files limit", named neither the file nor the limit). `file` is the file
 * being read, when there is one.
 */
function limitProblem(code: string, file: string | undefined, uploadLimitBytes: number) {
  switch (code) {
    case "FST_REQ_FILE_TOO_LARGE":
      return new ProblemError(
        "body-too-large",
        `${file === undefined ? "an uploaded file" : `"${file}"`} is larger than this server takes, ${uploadLimitBytes} bytes a file`,
      );
    case "FST_FILES_LIMIT":
      return new ProblemError(
        "body-too-large",
        `more than ${MAX_UPLOAD_FILES} files in one upload; send them in several requests`,
      );
    case "FST_PARTS_LIMIT":
    case "FST_FIELDS_LIMIT":
      return new ProblemError(
        "body-too-large",
        `too many parts in one upload: at most ${MAX_UPLOAD_FILES} files and ${MAX_UPLOAD_FIELDS} other fields`,
      );
    default:
      return undefined;
  }
}

/**
 * `POST /v1/logs/parse`: carbontracker (or wattprint) log files uploaded as multipart form
 * files, parsed and aggregated by `@wattprint/logs`. The files are written under a folder the
 * server creates for the request and removes after it; an uploaded file's name is used only
 * when it is a carbontracker log name (no folder part), and no path in a request is ever read.
 */
export function logsRoutes(app: TypedApp, { settings }: RouteContext): void {
  app.post(
    "/v1/logs/parse",
    {
      // The answer is built here from the parser's typed pairs; checking it against its schema
      // again cost as much as writing it (the estimate route decides the same).
      serializerCompiler: () => (data) => JSON.stringify(data),
      schema: {
        summary: "Parse and aggregate uploaded carbontracker logs (multipart/form-data files)",
        tags: ["logs"],
        consumes: ["multipart/form-data"],
        response: { 200: parsedLogsSchema, ...PROBLEM_RESPONSES },
      },
    },
    async (request) => {
      // Before the form is read: busboy would read a compressed form as a broken one.
      const compressed = contentEncodingProblem(request);
      if (compressed !== undefined) throw compressed;
      if (!request.isMultipart()) {
        throw new ProblemError(
          "unsupported-media-type",
          "upload the logs as multipart/form-data files",
        );
      }
      const dir = await mkdtemp(join(tmpdir(), "wattprint-upload-"));
      try {
        const names = new Set<string>();
        // The file being read, for the message if it turns out over the limit.
        let current: string | undefined;
        try {
          for await (const part of request.files()) {
            const name = part.filename;
            current = undefined;
            const field = part.fieldname;
            if (name.length > UPLOAD_LIMITS.maxFileNameChars) {
              part.file.resume();
              throw new ProblemError(
                "malformed-upload",
                `a file name is ${name.length} characters long, over the limit of ${UPLOAD_LIMITS.maxFileNameChars}`,
                { field },
              );
            }
            const bytes = Buffer.byteLength(name, "utf8");
            if (bytes > UPLOAD_LIMITS.maxFileNameBytes) {
              part.file.resume();
              throw new ProblemError(
                "malformed-upload",
                `a file name is ${bytes} bytes long in UTF-8, over the limit of ${UPLOAD_LIMITS.maxFileNameBytes}`,
                { field },
              );
            }
            if (hasControlCharacter(name)) {
              part.file.resume();
              throw new ProblemError(
                "malformed-upload",
                "a file name holds a control character (NUL, a line break or another)",
                { field },
              );
            }
            if (
              classifyLogFileName(name) === undefined ||
              name.includes("/") ||
              name.includes("\\")
            ) {
              part.file.resume();
              throw new ProblemError(
                "malformed-upload",
                `"${name}" is not a carbontracker log name (<stem>_carbontracker.log or <stem>_carbontracker_output.log)`,
                { field },
              );
            }
            if (names.has(name)) {
              part.file.resume();
              throw new ProblemError("malformed-upload", `"${name}" is uploaded twice`, { field });
            }
            names.add(name);
            current = name;
            // Streamed to disk, never held whole; the multipart limits stop it at the upload limit.
            await pipeline(part.file, createWriteStream(join(dir, name), { flags: "wx" }));
          }
        } catch (error) {
          if (error instanceof ProblemError) throw error;
          const code = (error as { code?: string }).code;
          const limited =
            code === undefined ? undefined : limitProblem(code, current, settings.uploadLimitBytes);
          if (limited !== undefined) throw limited;
          const message = error instanceof Error ? error.message : String(error);
          // The client closed its connection mid-upload (Node's "aborted" is an ECONNRESET):
          // its fault, not the server's, so no internal error a client could count up.
          if (
            request.raw.destroyed ||
            code === "ECONNRESET" ||
            code === "ERR_STREAM_PREMATURE_CLOSE"
          ) {
            throw new ProblemError(
              "malformed-upload",
              "the upload was cut off: the client closed its connection before the form's end",
            );
          }
          // A file system's error names the server's temporary folder: its message goes to the
          // log only, and the upload is not called malformed for the server's own failure.
          if (code !== undefined && /^E[A-Z]+$/.test(code)) {
            throw new ProblemError(
              "internal",
              "an uploaded file could not be stored; the server log says why",
              {},
              message,
            );
          }
          // busboy's "Unexpected end of form", a missing boundary, a bad part header.
          throw new ProblemError(
            "malformed-upload",
            `the multipart body cannot be read (${message}): send the files as multipart/form-data, one part per file, as \`curl -F files=@<file>\` does`,
          );
        }
        if (names.size === 0) {
          throw new ProblemError("malformed-upload", "the form holds no files", { field: "files" });
        }
        const scan = scanLogDir(dir, {
          order: "name",
          maxFileBytes: settings.uploadLimitBytes,
          maxListedProblems: MAX_UPLOAD_FILES,
          maxEpochs: UPLOAD_LIMITS.maxEpochs,
          maxComponents: UPLOAD_LIMITS.maxComponents,
          // One log can never fill an answer on its own; a longer one is skipped by the parser.
          maxPowerValues: UPLOAD_LIMITS.maxAnswerValues,
        });
        if (!scan.ok) throw new Error(scan.error.message);
        // Pairs are parsed one at a time and the answer's size is counted as they come, so
        // the upload stops at the first pair over the limit instead of after parsing them all.
        const logs: ParsedLogPair[] = [];
        const accumulator = new AggregateAccumulator();
        let values = 0;
        for await (const pair of scan.value) {
          values += answerValues(pair);
          if (values > UPLOAD_LIMITS.maxAnswerValues) {
            throw new ProblemError(
              "body-too-large",
              `the answer would hold more than ${UPLOAD_LIMITS.maxAnswerValues} figures (${values} by the log ${logs.length + 1} of ${names.size} files); upload fewer or shorter logs`,
            );
          }
          logs.push(pair);
          accumulator.add(pair);
        }
        const { problems, warnings } = scan.value.introspect();
        // Results name files as uploaded, never by the server's folder.
        const strip = (text: string): string => text.replaceAll(`${dir}/`, "");
        const described = (problem: FileProblem) => ({
          file: strip(problem.path),
          kind: problem.kind,
          message: strip(problem.message),
          ...(problem.line !== undefined ? { line: problem.line } : {}),
        });
        const totals = accumulator.totals();
        return {
          logs: logs.map((pair) => ({
            ...pair,
            output_filename: strip(pair.output_filename),
            standard_filename: strip(pair.standard_filename),
          })),
          aggregate: {
            energyKWh: totals.energyKWh,
            co2eqG: totals.co2eqG,
            equivalents: { ...totals.equivalents },
            equivalentsBasis: {
              fromLogs: FROM_LOGS,
              computed: {
                runs: totals.runsWithComputedEquivalents,
                source: {
                  id: EEA_NEW_CAR_2024.id,
                  title: EEA_NEW_CAR_2024.title,
                  url: EEA_NEW_CAR_2024.url,
                  year: EEA_NEW_CAR_2024.year,
                },
              },
            },
            runsCounted: totals.runsCounted,
            runsWithoutConsumption: totals.runsWithoutConsumption,
            runsWithUnknownCo2: totals.runsWithUnknownCo2,
          },
          skipped: problems.map(described),
          warnings: warnings.map(described),
        };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );
}
