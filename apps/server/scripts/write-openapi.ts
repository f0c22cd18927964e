// Regenerates apps/server/openapi.json from the routes' zod schemas:
//   pnpm --filter @wattprint/server openapi
import { buildApp, DEFAULT_APP_SETTINGS } from "../src/app.ts";
import { OPENAPI_FILE, openApiText, writeCheckedInOpenApi } from "../src/openapi.ts";
import { openRunStore } from "../src/store/open-store.ts";

const opened = await openRunStore({});
if (!opened.ok) throw new Error(opened.error.message);
const { app } = await buildApp(opened.value.store, DEFAULT_APP_SETTINGS);
await writeCheckedInOpenApi(await openApiText(app));
await app.close();
await opened.value.store.close();
process.stdout.write(
  `wrote ${OPENAPI_FILE}; format it with pnpm exec biome format --write ${OPENAPI_FILE}\n`,
);
