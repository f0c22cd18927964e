import { describe, expect, it } from "vitest";
import { wattprint } from "./helpers/in-process.ts";

interface ZoneRow {
  code: string;
  level: string;
  countryCode?: string;
  serves?: { state: string; share?: number; primary: boolean };
}

async function zones(...args: string[]): Promise<ZoneRow[]> {
  const outcome = await wattprint(["zones", ...args, "--json"]);
  expect(outcome.code).toBe(0);
  return JSON.parse(outcome.stdout) as ZoneRow[];
}

describe("wattprint zones", () => {
  it("zones US: the United States and its zones, nothing else", async () => {
    const rows = await zones("US");
    expect(rows[0]).toMatchObject({ code: "US", level: "country" });
    expect(rows.length).toBeGreaterThan(50);
    expect(rows.filter((row) => row.code !== "US" && !row.code.startsWith("US-"))).toEqual([]);
    const text = await wattprint(["zones", "US"]);
    expect(text.stdout).not.toMatch(/Australia|australia|Belarus|Mauritius|Virgin Islands/);
    // The cloud regions listed are those in US zones.
    expect(text.stdout).toMatch(/^aws\s+us-east-1\s/m);
    expect(text.stdout).not.toMatch(/^aws\s+eu-/m);
  });

  it("a state lists the zones serving it, with the published share", async () => {
    const rows = await zones("Texas");
    expect(rows[0]).toMatchObject({ code: "US-TEX-ERCO", serves: { share: 0.9, primary: true } });
    const text = await wattprint(["zones", "virginia"]);
    expect(text.stdout).toMatch(/^US-MIDA-PJM .* Virginia, used for the state$/m);
    expect(text.stdout).toMatch(/^US-TEN-TVA .* Virginia$/m);
  });

  it("says why America cannot be a location while listing what it matches", async () => {
    const text = await wattprint(["zones", "America"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^NORTH AMERICA\s/m);
    expect(text.stdout).toMatch(/note: as a --location, "America" spans North and South America/);
  });

  it("labels a country whose value falls back as a country, saying where the value is from", async () => {
    const text = await wattprint(["zones", "BQ"]);
    expect(text.stdout).toMatch(/^BQ .* country .*\(continent value\)/m);
  });
});

describe("wattprint zones and hardware list cloud regions, machines and instances", () => {
  it("zones lists the cloud regions that match, with the zone each is estimated in", async () => {
    const text = await wattprint(["zones", "virginia"]);
    expect(text.stdout).toMatch(/cloud regions \(--region\):/);
    expect(text.stdout).toMatch(/^aws\s+us-east-1\s+US East \(N\. Virginia\)\s+US-MIDA-PJM\s/m);
    const byId = await wattprint(["zones", "us-east-1"]);
    expect(byId.stdout).toMatch(/^aws\s+us-east-1\s/m);
    expect(byId.stdout).not.toMatch(/australia-southeast1/);
  });

  it("hardware lists the matching machine presets and cloud instances after the parts", async () => {
    const text = await wattprint(["hardware", "h100"]);
    expect(text.stdout).toMatch(/^NVIDIA H100 SXM5 80GB\s/m);
    expect(text.stdout).toMatch(/^machine presets \(--machine\):$/m);
    expect(text.stdout).toMatch(/^dgx-h100\s+NVIDIA DGX H100\s/m);
    expect(text.stdout).toMatch(/^aws\s+p5\.48xlarge\s+8x NVIDIA H100 SXM5 80GB\s+192\s/m);
  });

  it("hardware machines and hardware instances print their own tables and JSON", async () => {
    const machines = await wattprint(["hardware", "machines", "--json"]);
    const ids = (JSON.parse(machines.stdout) as { id: string }[]).map((m) => m.id);
    expect(ids).toContain("dgx-h100");
    const instances = await wattprint(["hardware", "instances", "p5", "--json"]);
    const names = (JSON.parse(instances.stdout) as { name: string }[]).map((i) => i.name);
    expect(names).toContain("p5.48xlarge");
    const none = await wattprint(["hardware", "machines", "toaster"]);
    expect(none.stdout).toBe('no machine preset matches "toaster"\n');
  });
});

describe("a query with nothing to match", () => {
  it.each([
    ["zones", "中国"],
    ["zones", "!!!"],
    ["hardware", "中国"],
    ["hardware", "!!!"],
    ["hardware machines", "!!!"],
    ["hardware instances", "中国"],
  ])("%s %j matches nothing and suggests nothing", async (command, query) => {
    const text = await wattprint([...command.split(" "), query]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(
      new RegExp(`^no [a-z ]+ matches "${query.replace(/[!]/g, "\\!")}"\\n$`),
    );
    const json = await wattprint([...command.split(" "), query, "--json"]);
    expect(JSON.parse(json.stdout)).toEqual([]);
  });

  it("shows a control character in the query escaped, not sent to the terminal", async () => {
    const text = await wattprint(["zones", "zz\u001b[31m"]);
    expect(text.stdout).toBe('no zone matches "zz\\u001b[31m"\n');
  });
});
