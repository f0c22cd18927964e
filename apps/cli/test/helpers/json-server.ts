import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export interface JsonServer {
  readonly baseUrl: string;
  /** Paths with query, in the order they were asked. */
  readonly requests: string[];
  /** Request headers, in the same order. */
  readonly headers: IncomingMessage["headers"][];
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1, port 0, answering every request with `answer(path)`:
 * the live providers are reached through node's own fetch and sockets, never the internet.
 */
export async function startJsonServer(
  answer: (path: string) => { status: number; body: unknown },
): Promise<JsonServer> {
  const requests: string[] = [];
  const headers: IncomingMessage["headers"][] = [];
  const server = createServer((request, response) => {
    const path = request.url ?? "";
    requests.push(path);
    headers.push(request.headers);
    const { status, body } = answer(path);
    response.writeHead(status, { "content-type": "application/json" });
    response.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    headers,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Runs `use` against a fresh server and closes it, whatever `use` does. */
export async function withJsonServer<T>(
  answer: (path: string) => { status: number; body: unknown },
  use: (server: JsonServer) => Promise<T>,
): Promise<T> {
  const server = await startJsonServer(answer);
  try {
    return await use(server);
  } finally {
    await server.close();
  }
}
