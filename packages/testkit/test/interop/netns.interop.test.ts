import { createSocket, type Socket } from "node:dgram";
import { afterEach, describe, expect, it } from "vitest";
import { assertInsidePrivateNetwork, insidePrivateNetwork } from "../../src/private-network.ts";
import { startProcess, stopAll } from "../../src/process.ts";

// Multicast group/port unlikely to collide with the DDS tests running next to this file.
const GROUP = "239.255.0.77";
const PORT = 17_400;

function joinedSocket(): Promise<Socket> {
  const socket = createSocket({ type: "udp4", reuseAddr: true });
  return new Promise((resolve) => {
    socket.bind(PORT, () => {
      socket.addMembership(GROUP, "127.0.0.1");
      socket.setMulticastInterface("127.0.0.1");
      socket.setMulticastLoopback(true);
      resolve(socket);
    });
  });
}

describe("interop tests run inside the private network namespace", () => {
  afterEach(() => stopAll());

  it("sees only the loopback interface and passes the guard", () => {
    expect(insidePrivateNetwork()).toBe(true);
    expect(() => assertInsidePrivateNetwork()).not.toThrow();
  });

  it("hands the namespace and the flag down to spawned peers", async () => {
    const child = startProcess("sh", ["-c", 'echo "flag=$WATTPRINT_NETNS"; ip -o link show']);
    await child.waitForLine(/^flag=1$/, 5000);
    expect((await child.waitForExit(5000)).code).toBe(0);
    expect(child.lines.filter((line) => /^\d+: /.test(line))).toHaveLength(1);
  });

  it("delivers multicast on lo to every joined socket", async () => {
    const sockets = await Promise.all([joinedSocket(), joinedSocket()]);
    try {
      const received = sockets.map(
        (socket) =>
          new Promise<string>((resolve) => socket.once("message", (m) => resolve(`${m}`))),
      );
      sockets[0]?.send("hello", PORT, GROUP);
      expect(await Promise.all(received)).toEqual(["hello", "hello"]);
    } finally {
      for (const socket of sockets) socket.close();
    }
  });
});
