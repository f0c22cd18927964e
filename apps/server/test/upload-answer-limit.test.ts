import { describe, expect, it } from "vitest";
import { UPLOAD_LIMITS } from "../src/routes/logs.ts";
import { appForFile, uploadLogs } from "./support/app.test-support.ts";
import { runLogsWithFigures, writtenRunLogs } from "./support/logs.test-support.ts";

const rig = appForFile({ uploadLimitBytes: 8 * 1024 * 1024 });

const upload = (files: Parameters<typeof uploadLogs>[1]) => uploadLogs(rig.app, files);

// 300 epochs of 1,000 devices: 600,300 figures a log, so two of them pass the answer's limit.
const DEVICES = 1000;
const EPOCHS = 300;

describe("the figures one upload's answer may hold", () => {
  it("stops at the log that takes the answer over its limit, with a 413 saying so", async () => {
    expect(2 * EPOCHS * (1 + 2 * DEVICES)).toBeGreaterThan(UPLOAD_LIMITS.maxAnswerValues);
    const response = await upload([
      ...runLogsWithFigures("1.1_a", DEVICES, EPOCHS),
      ...runLogsWithFigures("1.2_b", DEVICES, EPOCHS),
    ]);
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ type: expect.stringMatching(/body-too-large$/) });
    expect(response.json().detail).toMatch(/more than 1000000 figures \(1200600 by the log 2 /);
  });

  it("one log alone over the limit is read from its output log, its standard log a warning", async () => {
    const devices = Math.ceil(UPLOAD_LIMITS.maxAnswerValues / EPOCHS) + 1;
    const response = await upload([
      ...runLogsWithFigures("1.1_huge", devices, EPOCHS),
      ...writtenRunLogs(0.5, 10),
    ]);
    expect(response.statusCode).toBe(200);
    const answer = response.json();
    expect(answer.aggregate).toMatchObject({ energyKWh: 1.5, runsCounted: 2 });
    expect(answer.skipped).toEqual([]);
    expect(answer.warnings).toEqual([
      expect.objectContaining({
        file: "1.1_huge_carbontracker.log",
        kind: "too-many-values",
        message: expect.stringMatching(/more than 1000000 power values/),
      }),
    ]);
    const huge = answer.logs.find(
      (pair: { output_filename: string }) =>
        pair.output_filename === "1.1_huge_carbontracker_output.log",
    );
    expect(huge.components).toEqual({});
  });
});
