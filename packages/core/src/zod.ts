/**
 * The zod that the modules on `wattprint track`'s path write their schemas with: `zod/mini`,
 * the same parser as `zod` with its checks as functions instead of methods, so that a bundle
 * keeps only what it calls. Importers write `import * as z from "@wattprint/core/zod"`.
 *
 * Why (issue 13: `track -- true` must add under 150 ms): loading classic `zod` (English
 * messages only) cost about 30 ms of CPU at start on the development VM against 10 ms for
 * `zod/mini`, and the track bundle went from 572 to 343 KiB (zod's share from 282 to 56 KiB);
 * apps/cli/README.md has the figures.
 *
 * `zod/mini` registers no messages, so a failed parse would say "Invalid input" whatever went
 * wrong. This sets zod's English messages, as `import "zod"` does, unless the process has
 * already chosen a locale (a consumer's `z.config(...)` is left alone). Schemas built with
 * either API mix freely: both are zod's core types. The rest of the packages (the server's
 * routes, the estimate report, the bus node's messages) stay on classic `zod`.
 */
import { config } from "zod/mini";
import en from "zod/v4/locales/en.js";

if (config().localeError === undefined) config(en());

// Re-exported name by name, not as one namespace object, so that a bundler can drop what a
// bundle does not call.
export * from "zod/mini";
