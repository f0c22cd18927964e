import { err, ok, type Result } from "@wattprint/result";
import { type ProviderError, type ProviderOptions, providerErrors } from "../intensity/provider.ts";
import { describeIssues } from "../text/zod-issues.ts";
import * as z from "../zod.ts";

export interface RequestSpec {
  readonly providerId: string;
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal | undefined;
}

const DEFAULTS = { timeoutMs: 5_000, maxAttempts: 3, backoffMs: 250 } as const;

/**
 * Waits `ms`, or less if `signal` aborts. The abort listener goes once the wait ends: the
 * tracker passes one signal for a whole run, and a listener left per retried fetch piled up
 * (Node warns past 10) through a provider's outage.
 */
const sleep = (ms: number, signal: AbortSignal | undefined): Promise<void> =>
  new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });

/**
 * One attempt's signal: aborted when the caller's is, or after `timeoutMs`. `end()` drops the
 * timer and the listener on the caller's signal. Not `AbortSignal.any([caller, timeout])`:
 * on Node 20 each call leaves about 65 bytes on a long-lived source signal for good (measured:
 * 20 MB after 300,000 calls), and the tracker passes one signal for a whole run.
 */
function attemptSignal(
  caller: AbortSignal | undefined,
  timeoutMs: number,
): { readonly signal: AbortSignal; timedOut(): boolean; end(): void } {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException(`no answer within ${timeoutMs} ms`, "TimeoutError"));
  }, timeoutMs);
  const forward = (): void => controller.abort(caller?.reason);
  if (caller?.aborted) forward();
  else caller?.addEventListener("abort", forward, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    end: () => {
      clearTimeout(timer);
      caller?.removeEventListener("abort", forward);
    },
  };
}

/**
 * GET JSON and check its shape. Retries 5xx and network failures with exponential backoff,
 * never 4xx (a bad key or zone will not fix itself) and never a timeout (the caller's wait
 * budget is spent). Every failure comes back as a ProviderError value.
 */
export async function getJson<T>(
  spec: RequestSpec,
  schema: z.core.$ZodType<T>,
  options: ProviderOptions,
): Promise<Result<T, ProviderError>> {
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs;
  const maxAttempts = Math.max(1, Math.floor(options.maxAttempts ?? DEFAULTS.maxAttempts));
  const backoffMs = options.backoffMs ?? DEFAULTS.backoffMs;
  const { providerId } = spec;
  let last: ProviderError = providerErrors.network(providerId, 0, "not tried");

  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    if (attempt > 1) await sleep(backoffMs * 2 ** (attempt - 2), spec.signal);
    if (spec.signal?.aborted) return err(providerErrors.aborted(providerId));
    const scope = attemptSignal(spec.signal, timeoutMs);
    const { signal } = scope;
    let body: unknown;
    try {
      const response = await doFetch(spec.url, {
        headers: { accept: "application/json", ...spec.headers },
        signal,
      });
      if (response.status >= 500) {
        await response.body?.cancel();
        last = providerErrors.http(providerId, response.status, attempt, response.statusText);
        continue;
      }
      if (!response.ok) {
        const text = (await readCappedText(response, MAX_ERROR_BODY_BYTES)) ?? "";
        const body = text.slice(0, 200) || response.statusText;
        return err(providerErrors.http(providerId, response.status, attempt, body));
      }
      const text = await readCappedText(response, MAX_RESPONSE_BYTES);
      if (text === undefined) {
        const cause = `the body is larger than ${MAX_RESPONSE_BYTES} bytes`;
        return err(providerErrors.badResponse(providerId, cause));
      }
      body = JSON.parse(text);
    } catch (error) {
      if (spec.signal?.aborted) return err(providerErrors.aborted(providerId));
      if (scope.timedOut()) return err(providerErrors.timeout(providerId, timeoutMs));
      if (error instanceof SyntaxError) {
        return err(providerErrors.badResponse(providerId, `not JSON: ${error.message}`));
      }
      last = providerErrors.network(providerId, attempt, networkCause(error));
      continue;
    } finally {
      scope.end();
    }
    const parsed = z.safeParse(schema, body);
    if (!parsed.success) {
      return err(providerErrors.badResponse(providerId, describeIssues(parsed.error)));
    }
    return ok(parsed.data);
  }
  return err(last);
}

/**
 * The most of a provider's answer that is read: theirs are a few kilobytes (a 48-hour forecast
 * about 10 kB). A larger body, declared or streamed, is refused rather than buffered: a
 * misbehaving or hostile endpoint must not fill the tracker's memory within the timeout.
 */
export const MAX_RESPONSE_BYTES = 1024 * 1024;
/** Of an error's body only the first 200 characters are quoted. */
const MAX_ERROR_BODY_BYTES = 4096;

/**
 * A response's body as text, or undefined (the rest cancelled) once it passes `maxBytes`:
 * what a remote server sends is read up to a limit the reader chooses, never buffered whole.
 */
export async function readCappedText(
  response: Response,
  maxBytes: number,
): Promise<string | undefined> {
  const declared = Number(response.headers.get("content-length") ?? "");
  const body = response.body;
  if (declared > maxBytes) {
    await body?.cancel();
    return undefined;
  }
  if (body === null) return "";
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

export const joinUrl = (base: string, path: string): string =>
  `${base.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;

/**
 * What a failed fetch ran into. Node's fetch says only "TypeError: fetch failed"; the system
 * error it wraps (`getaddrinfo ENOTFOUND api.electricitymap.org`, `connect ECONNREFUSED …`)
 * is what tells a user whether the name, the network or the server is at fault.
 */
function networkCause(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause instanceof Error && cause.message !== "") return `${String(error)} (${cause.message})`;
  return String(error);
}
