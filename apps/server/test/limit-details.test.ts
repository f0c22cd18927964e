import { describe, expect, it } from "vitest";
import { MAX_UPLOAD_FILES } from "../src/options.ts";
import { appForFile, uploadLogs } from "./support/app.test-support.ts";

// The limits' problem details name what was over which limit: Fastify's and busboy's own
// texts ("request file too large", "reach files limit", "Request body is too large") named
// neither.
const rig = appForFile({ uploadLimitBytes: 2000, bodyLimitBytes: 4096 });

const upload = (files: Parameters<typeof uploadLogs>[1]) => uploadLogs(rig.app, files);

describe("a request over a limit", () => {
  it("names the uploaded file over the upload limit, and the limit", async () => {
    const response = await upload([
      { name: "small_carbontracker.log", content: "x" },
      { name: "big_carbontracker.log", content: "x".repeat(5000) },
    ]);
    expect(response.statusCode).toBe(413);
    expect(response.json().detail).toBe(
      '"big_carbontracker.log" is larger than this server takes, 2000 bytes a file',
    );
  });

  it("says how many files one upload may hold", async () => {
    const files = Array.from({ length: MAX_UPLOAD_FILES + 1 }, (_, i) => ({
      name: `run${i}_carbontracker.log`,
      content: "x",
    }));
    const response = await upload(files);
    expect(response.statusCode).toBe(413);
    expect(response.json().detail).toBe(
      `more than ${MAX_UPLOAD_FILES} files in one upload; send them in several requests`,
    );
  });

  it("names the JSON body limit", async () => {
    const response = await rig.app.inject({
      method: "POST",
      url: "/v1/estimate",
      headers: { "content-type": "application/json" },
      payload: JSON.stringify({
        hardware: [{ watts: 1 }],
        duration: "1h",
        location: "x".repeat(5000),
      }),
    });
    expect(response.statusCode).toBe(413);
    expect(response.json().detail).toBe(
      "the body is larger than this server takes here, 4096 bytes",
    );
  });

  it("says how to send a multipart body that cannot be read", async () => {
    const response = await rig.app.inject({
      method: "POST",
      url: "/v1/logs/parse",
      headers: { "content-type": "multipart/form-data; boundary=nothere" },
      payload: "not a form",
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().detail).toMatch(
      /^the multipart body cannot be read \(.+\): send the files as multipart\/form-data/,
    );
  });
});
