import { config } from "zod/mini";

/**
 * Imported first by `track` (a side effect, on purpose): zod 4 decides at each object schema's
 * construction whether to compile it (`new Function`) on its first parse, so the setting must
 * come before the packages' modules build their schemas. A command line parses each schema
 * once or twice, where compiling costs more than it saves: about 15-30 ms of the start-up
 * budget of `wattprint track` (issue 13). Samples are never parsed with zod, so a long run
 * loses nothing. The setting is zod's one global configuration, shared by `zod` and
 * `zod/mini`; it is set through `zod/mini`, the API the modules on the track path use, so
 * that this import does not bring classic `zod` into the track bundle.
 */
config({ jitless: true });
