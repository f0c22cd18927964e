const COMPONENT = /(?:^|\s)([A-Za-z][A-Za-z0-9_-]*) with device\(s\) /g;

/**
 * Reads what follows "The following components were found:" — e.g.
 * ` GPU with device(s) NVIDIA A100, NVIDIA A100. CPU with device(s) Intel(R) Xeon(R) CPU @ 2.20GHz.`
 * — as `[["gpu", ["NVIDIA A100", "NVIDIA A100"]], ["cpu", ["Intel(R) Xeon(R) CPU @ 2.20GHz"]]]`.
 * A component's devices run up to where the next component starts, so a dot inside a device
 * name stays; only the one dot that ends each component's list is removed, and each device is
 * trimmed.
 */
export function parseComponentsLine(text: string): [name: string, devices: string[]][] {
  const starts: { name: string; from: number; to: number }[] = [];
  for (const match of text.matchAll(COMPONENT)) {
    const name = match[1] ?? "";
    starts.push({ name, from: match.index, to: match.index + match[0].length });
  }
  const components: [string, string[]][] = [];
  for (let i = 0; i < starts.length; i++) {
    const start = starts[i];
    if (start === undefined) continue;
    let list = text.slice(start.to, starts[i + 1]?.from ?? text.length).trim();
    if (list.endsWith(".")) list = list.slice(0, -1);
    const devices = list
      .split(",")
      .map((d) => d.trim())
      .filter((d) => d !== "");
    components.push([start.name.toLowerCase(), devices]);
  }
  return components;
}
