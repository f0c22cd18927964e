import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { TypedApp } from "../app-types.ts";

/** The dashboard's own files: `public/` beside `src/` and `dist/`, read once at start. */
const PUBLIC_DIR = fileURLToPath(new URL("../../public/", import.meta.url));

/** Chart.js' self-contained build, served from the installed package: no CDN. */
function chartJsPath(): string {
  const main = createRequire(import.meta.url).resolve("chart.js");
  return join(dirname(main), "chart.umd.min.js");
}

const ASSETS = [
  { url: "/", file: join(PUBLIC_DIR, "index.html"), type: "text/html; charset=utf-8" },
  {
    url: "/assets/dashboard.js",
    file: join(PUBLIC_DIR, "dashboard.js"),
    type: "text/javascript; charset=utf-8",
  },
  {
    url: "/assets/dashboard.css",
    file: join(PUBLIC_DIR, "dashboard.css"),
    type: "text/css; charset=utf-8",
  },
  { url: "/assets/chart.umd.min.js", file: chartJsPath(), type: "text/javascript; charset=utf-8" },
] as const;

/**
 * `/`: the dashboard, a page and a script that call the API like any client (calculator,
 * runs by project, intensity by zone). A strict content security policy: nothing loads from
 * anywhere but this server.
 */
export function dashboardRoutes(app: TypedApp): void {
  for (const asset of ASSETS) {
    const body = readFileSync(asset.file);
    app.get(asset.url, { schema: { hide: true } }, async (_request, reply) =>
      reply
        .type(asset.type)
        .header("cache-control", "no-cache")
        .header(
          "content-security-policy",
          "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'",
        )
        .header("x-content-type-options", "nosniff")
        .send(body),
    );
  }
}
