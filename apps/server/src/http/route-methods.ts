/**
 * The methods each route pattern answers, so that a request for a path the server has, with a
 * method it does not answer there, is told 405 and the methods it may use (`Allow`, RFC 9110
 * §15.5.6), not 404 "nothing here". Fed by an `onRoute` hook with Fastify's patterns
 * (`/v1/runs/:id`); read only on the not-found path, so it costs the routes nothing.
 */
export class RouteMethods {
  private readonly byPattern = new Map<string, { readonly path: RegExp; methods: string[] }>();

  add(url: string, method: string | readonly string[]): void {
    // A catch-all (CORS preflight's `OPTIONS *`) answers every path, so it says nothing about
    // which paths exist: kept, every unknown path would be a 405 instead of a 404.
    if (url === "*" || url === "/*") return;
    let entry = this.byPattern.get(url);
    if (entry === undefined) {
      entry = { path: patternToRegExp(url), methods: [] };
      this.byPattern.set(url, entry);
    }
    for (const m of typeof method === "string" ? [method] : method) {
      if (!entry.methods.includes(m)) entry.methods.push(m);
    }
  }

  /** The methods some route answers at `path` (no query), sorted; empty when none does. */
  allowed(path: string): string[] {
    const methods = new Set<string>();
    for (const { path: pattern, methods: answered } of this.byPattern.values()) {
      if (pattern.test(path)) for (const m of answered) methods.add(m);
    }
    return [...methods].sort();
  }
}

/** `/v1/runs/:id` → /^\/v1\/runs\/[^/]+$/; a trailing `*` matches the rest of the path. */
function patternToRegExp(url: string): RegExp {
  const source = url
    .split("/")
    .map((segment) => {
      if (segment.startsWith(":")) return "[^/]+";
      if (segment === "*") return ".*";
      return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("/");
  return new RegExp(`^${source}$`);
}
