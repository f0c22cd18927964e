import { z } from "zod";

/**
 * Imported first by `track` (a side effect, on purpose): zod 4 decides at each object schema's
 * construction whether to compile it (`new Function`) on its first parse, so the setting must
 * come before the packages' modules build their schemas. A command line parses each schema
 * once or twice, where compiling costs more than it saves: about 15-30 ms of the start-up
 * budget of `wattprint track` (issue 13). Samples are never parsed with zod, so a long run
 * loses nothing.
 */
z.config({ jitless: true });
