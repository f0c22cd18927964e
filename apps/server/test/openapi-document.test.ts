import { describe, expect, it } from "vitest";
import { openApiText } from "../src/openapi.ts";
import { appForFile } from "./support/app.test-support.ts";

/**
 * The served OpenAPI document as a client generator reads it: every reference resolves, and
 * what it says of errors, keys, uploads and parameters is what the server does.
 */
const rig = appForFile();

type Json = { [key: string]: unknown };
const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Every `$ref` in the document, with where it stands. */
function references(node: unknown, at = "#", out: [string, string][] = []): [string, string][] {
  if (Array.isArray(node)) {
    node.forEach((item, i) => {
      references(item, `${at}/${i}`, out);
    });
  } else if (isObject(node)) {
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string") out.push([at, value]);
      else references(value, `${at}/${key}`, out);
    }
  }
  return out;
}

/** The node a local JSON pointer (`#/a/b`) names, or undefined. */
function resolve(document: unknown, ref: string): unknown {
  if (!ref.startsWith("#/")) return undefined;
  let node = document;
  for (const part of ref.slice(2).split("/")) {
    const key = part.replaceAll("~1", "/").replaceAll("~0", "~");
    node = isObject(node) ? node[key] : undefined;
  }
  return node;
}

async function served(): Promise<Json> {
  return JSON.parse(await openApiText(rig.app));
}

describe("the OpenAPI document", () => {
  it("has only local references, each with one fragment, each resolving", async () => {
    const document = await served();
    const refs = references(document);
    expect(refs.length).toBeGreaterThan(10);
    for (const [at, ref] of refs) {
      expect(ref.split("#"), `${at}: ${ref}`).toHaveLength(2);
      expect(resolve(document, ref), `${at}: ${ref}`).toBeDefined();
    }
  });

  it("gives every error response as application/problem+json, as the server sends it", async () => {
    const document = await served();
    let errors = 0;
    for (const item of Object.values(document.paths as Json)) {
      for (const operation of Object.values(item as Json)) {
        for (const [status, response] of Object.entries((operation as Json).responses as Json)) {
          if (Number(status) < 400) continue;
          errors++;
          expect(Object.keys((response as Json).content as Json), status).toEqual([
            "application/problem+json",
          ]);
        }
      }
    }
    expect(errors).toBeGreaterThan(20);
    const refused = await rig.app.inject({ method: "POST", url: "/v1/estimate", payload: {} });
    expect(refused.headers["content-type"]).toMatch(/^application\/problem\+json/);
  });

  it("says that /v1 routes take a bearer key where one is configured, and probes none", async () => {
    const document = await served();
    const paths = document.paths as Json;
    const operation = (path: string, method: string) => (paths[path] as Json)[method] as Json;
    expect(operation("/v1/estimate", "post").security).toEqual([{}, { bearer: [] }]);
    expect(operation("/v1/runs", "get").security).toEqual([{}, { bearer: [] }]);
    expect(operation("/healthz", "get").security).toBeUndefined();
  });

  it("describes the log upload's multipart body", async () => {
    const document = await served();
    const upload = ((document.paths as Json)["/v1/logs/parse"] as Json).post as Json;
    expect(Object.keys((upload.requestBody as Json).content as Json)).toEqual([
      "multipart/form-data",
    ]);
  });
});

describe("a limit query parameter", () => {
  it("takes decimal digits only, and says what it takes", async () => {
    for (const limit of ["1e2", "0x10", "", "0", "-1", "2.5", "501"]) {
      const answer = await rig.app.inject({ method: "GET", url: `/v1/zones?limit=${limit}` });
      expect(answer.statusCode, limit).toBe(400);
      expect(answer.json(), limit).toMatchObject({ field: "limit" });
      expect(answer.json().detail, limit).toContain("limit");
    }
    const twice = await rig.app.inject({ method: "GET", url: "/v1/zones?limit=2&limit=3" });
    expect(twice.statusCode).toBe(400);
    expect(twice.json().detail).not.toContain("NaN");
    const two = await rig.app.inject({ method: "GET", url: "/v1/zones?limit=2" });
    expect(two.json().zones).toHaveLength(2);
    const runs = await rig.app.inject({ method: "GET", url: "/v1/runs?limit=1e2" });
    expect(runs.statusCode).toBe(400);
  });
});
