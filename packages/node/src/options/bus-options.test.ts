import type { NetworkInterfaceInfo } from "node:os";
import { isValidDomainId } from "@wattprint/rtps";
import { describe, expect, it } from "vitest";
import { createRtpsBus } from "../adapters/rtps-bus.ts";
import { createMemoryLogger } from "../log.ts";
import {
  checkInterfaceOnThisMachine,
  explainBusOpenError,
  MAX_DOMAIN_ID,
  parseBusOptions,
} from "./bus-options.ts";
import { UsageError } from "./usage-error.ts";

describe("parseBusOptions", () => {
  it("defaults to domain 0 on loopback", () => {
    expect(parseBusOptions({}, {})).toEqual({
      domainId: 0,
      interfaceAddress: "127.0.0.1",
      interfaceFrom: "default",
    });
  });

  it("reads the environment, and flags win over it", () => {
    const env = { SUSTAINML_DOMAIN_ID: "12", WATTPRINT_INTERFACE: "10.1.2.3" };
    expect(parseBusOptions({}, env)).toEqual({
      domainId: 12,
      interfaceAddress: "10.1.2.3",
      interfaceFrom: "WATTPRINT_INTERFACE",
    });
    expect(parseBusOptions({ domain: "3", interface: "192.168.0.9" }, env)).toEqual({
      domainId: 3,
      interfaceAddress: "192.168.0.9",
      interfaceFrom: "--interface",
    });
  });

  it("allows exactly the domain ids rtps can open ports for", () => {
    expect(MAX_DOMAIN_ID).toBe(231);
    expect(isValidDomainId(MAX_DOMAIN_ID)).toBe(true);
    expect(isValidDomainId(MAX_DOMAIN_ID + 1)).toBe(false);
    expect(parseBusOptions({ domain: "231" }, {}).domainId).toBe(231);
    expect(parseBusOptions({ domain: "1e1" }, {}).domainId).toBe(10);
  });

  it.each([
    [{ domain: "232" }, {}, '--domain expects an integer 0..231, got "232"'],
    [{ domain: "0x10" }, {}, '--domain expects an integer 0..231, got "0x10"'],
    [{ domain: "1.5" }, {}, '--domain expects an integer 0..231, got "1.5"'],
    [
      {},
      { SUSTAINML_DOMAIN_ID: "banana" },
      'SUSTAINML_DOMAIN_ID expects an integer 0..231, got "banana"',
    ],
    [{}, { SUSTAINML_DOMAIN_ID: "" }, 'SUSTAINML_DOMAIN_ID expects an integer 0..231, got ""'],
    [
      { interface: "999.999.999.999" },
      {},
      '--interface expects the IPv4 address of one of this machine\'s interfaces (e.g. 192.168.1.20), got "999.999.999.999"',
    ],
    [{ interface: "eth0" }, {}, /^--interface expects the IPv4 address .*, got "eth0"$/],
    [{ interface: "::1" }, {}, /^--interface expects the IPv4 address/],
    [{ interface: "10.0.0" }, {}, /^--interface expects the IPv4 address/],
    [
      {},
      { WATTPRINT_INTERFACE: "localhost" },
      /^WATTPRINT_INTERFACE expects the IPv4 address .*, got "localhost"$/,
    ],
    [{}, { WATTPRINT_INTERFACE: "" }, /^WATTPRINT_INTERFACE expects the IPv4 address .*, got ""$/],
  ])("refuses %j with env %j: %s", (flags, env, message) => {
    expect(() => parseBusOptions(flags, env)).toThrow(UsageError);
    expect(() => parseBusOptions(flags, env)).toThrow(message);
  });
});

describe("checkInterfaceOnThisMachine", () => {
  const at = (interfaceAddress: string, interfaceFrom = "--interface") => ({
    interfaceAddress,
    interfaceFrom,
  });

  it("accepts this machine's loopback addresses, all of 127/8 included", () => {
    expect(() => checkInterfaceOnThisMachine(at("127.0.0.1"))).not.toThrow();
    expect(() => checkInterfaceOnThisMachine(at("127.0.0.2"))).not.toThrow();
  });

  it.each(["8.8.8.8", "0.0.0.0", "239.255.0.1", "255.255.255.255"])(
    "refuses %s, which no interface of this machine has, in one line",
    (address) => {
      expect(() => checkInterfaceOnThisMachine(at(address))).toThrow(
        new RegExp(
          `^--interface: no interface with address ${address.replaceAll(".", "\\.")} on this machine \\(it has 127\\.0\\.0\\.1[^\\n]*\\)$`,
        ),
      );
    },
  );

  it("names the variable or the default the address came from", () => {
    expect(() => checkInterfaceOnThisMachine(at("8.8.8.8", "WATTPRINT_INTERFACE"))).toThrow(
      /^WATTPRINT_INTERFACE: no interface with address 8\.8\.8\.8/,
    );
    expect(() => checkInterfaceOnThisMachine(at("127.0.0.1", "default"), {})).toThrow(
      "the default interface: no interface with address 127.0.0.1 on this machine (it has no IPv4 address)",
    );
  });

  it("takes a NIC's own address only, not its neighbours' (unlike loopback)", () => {
    const nic = (address: string, netmask: string, internal: boolean): NetworkInterfaceInfo => ({
      address,
      netmask,
      internal,
      family: "IPv4",
      mac: "00:00:00:00:00:00",
      cidr: null,
    });
    const machine = {
      lo: [nic("127.0.0.1", "255.0.0.0", true)],
      eth0: [nic("10.0.0.5", "255.255.255.0", false)],
    };
    expect(() => checkInterfaceOnThisMachine(at("10.0.0.5"), machine)).not.toThrow();
    expect(() => checkInterfaceOnThisMachine(at("127.200.1.1"), machine)).not.toThrow();
    expect(() => checkInterfaceOnThisMachine(at("10.0.0.6"), machine)).toThrow(
      "--interface: no interface with address 10.0.0.6 on this machine (it has 127.0.0.1, 10.0.0.5)",
    );
    expect(() => checkInterfaceOnThisMachine(at("128.0.0.1"), machine)).toThrow(/no interface/);
  });
});

describe("explainBusOpenError", () => {
  it("explains a real bind failure in one line", async () => {
    const error = await createRtpsBus({
      participantName: "BUS_OPTIONS_TEST",
      domainId: 0,
      interfaceAddress: "8.8.8.8",
      logger: createMemoryLogger(),
    }).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    const line = explainBusOpenError(error);
    expect(line).toMatch(
      /^cannot open RTPS participant on 8\.8\.8\.8 domain 0: .*EADDRNOTAVAIL.* \(no interface on this machine has that address\)$/,
    );
    expect(line).not.toContain("\n");
  });

  it("leaves anything else to be reported as a bug", () => {
    expect(explainBusOpenError(new TypeError("x is undefined"))).toBeUndefined();
    expect(explainBusOpenError("boom")).toBeUndefined();
  });
});
