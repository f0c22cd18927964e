import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from "fastify";
import { ProblemError } from "./problem.ts";

/**
 * The deepest nesting a JSON body may have. No route's schema goes past a dozen levels, but
 * free-form members (`extra_data`, a run's result) take any JSON, and zod's `z.json()` walks it
 * recursively: about 5,000 levels (a 10 KB body) overflowed the stack, a 500.
 */
export const MAX_JSON_DEPTH = 64;

interface Frame {
  readonly value: unknown;
  readonly depth: number;
  readonly key: string | number;
  readonly parent: Frame | null;
}

/** The dotted field of a frame, built only for the answer (a walk keeps parent links). */
function pathOf(frame: Frame): string {
  const keys: (string | number)[] = [];
  for (let f: Frame | null = frame; f !== null && f.parent !== null; f = f.parent) keys.push(f.key);
  return keys.reverse().join(".");
}

/**
 * The path of the first value nested deeper than `limit` in `value`, as a dotted field, or
 * undefined when none is. Iterative, so that the check itself cannot overflow the stack; it
 * runs before every JSON route's schema, so it allocates a frame per object or array only.
 */
export function tooDeepField(value: unknown, limit = MAX_JSON_DEPTH): string | undefined {
  if (value === null || typeof value !== "object") return undefined;
  const stack: Frame[] = [{ value, depth: 0, key: "", parent: null }];
  for (let frame = stack.pop(); frame !== undefined; frame = stack.pop()) {
    const here = frame.value as object;
    if (frame.depth >= limit) return pathOf(frame);
    if (Array.isArray(here)) {
      for (let i = 0; i < here.length; i++) {
        const item: unknown = here[i];
        if (item !== null && typeof item === "object")
          stack.push({ value: item, depth: frame.depth + 1, key: i, parent: frame });
      }
    } else {
      for (const key in here) {
        if (!Object.hasOwn(here, key)) continue;
        const item: unknown = (here as Record<string, unknown>)[key];
        if (item !== null && typeof item === "object")
          stack.push({ value: item, depth: frame.depth + 1, key, parent: frame });
      }
    }
  }
  return undefined;
}

/**
 * `preValidation` of the routes whose schema takes free-form JSON (`z.json()`: the footprint's
 * `extra_data`, a run's result), before that schema walks it; only theirs, as every other
 * schema stops at the first member it does not expect. A callback hook: no promise a request.
 */
export function refuseDeepJson(
  request: FastifyRequest,
  _reply: FastifyReply,
  done: HookHandlerDoneFunction,
): void {
  const field = tooDeepField(request.body);
  if (field === undefined) {
    done();
    return;
  }
  done(
    new ProblemError(
      "invalid-request",
      `${field}: nested more than ${MAX_JSON_DEPTH} levels deep`,
      {
        field,
      },
    ),
  );
}
