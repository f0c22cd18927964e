import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";

/** The checked-in copy of the served document; a test fails when they differ. */
export const OPENAPI_FILE = fileURLToPath(new URL("../openapi.json", import.meta.url));

/** The document as the file holds it: stable key order as generated, two-space indent. */
export async function openApiText(app: FastifyInstance): Promise<string> {
  const response = await app.inject({ method: "GET", url: "/openapi.json" });
  return `${JSON.stringify(response.json(), null, 2)}\n`;
}

export async function readCheckedInOpenApi(): Promise<string> {
  return readFile(OPENAPI_FILE, "utf8");
}

export async function writeCheckedInOpenApi(text: string): Promise<void> {
  await writeFile(OPENAPI_FILE, text);
}
