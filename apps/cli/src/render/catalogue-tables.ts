import {
  type CloudInstance,
  type CloudRegion,
  cloudSource,
  type MachinePreset,
  machineSource,
} from "@wattprint/core";
import type { ListingSection, SearchCommand } from "./search-command.ts";
import { renderTable } from "./table.ts";

const parts = (accelerators: { hardware: string; count: number } | undefined): string =>
  accelerators === undefined ? "-" : `${accelerators.count}x ${accelerators.hardware}`;

/** The columns of a machine preset row, for `hardware machines` and the `hardware` listing. */
export const MACHINE_COLUMNS: Pick<SearchCommand<MachinePreset>, "header" | "row"> = {
  header: ["id", "name", "accelerators", "cpus", "memory", "max power", "source"],
  row: (m) => [
    m.id,
    m.name,
    parts(m.accelerators),
    `${m.cpus.sockets}x ${m.cpus.hardware}`,
    `${m.memory.gigabytes} GB`,
    m.maxSystemW === undefined ? "-" : `${m.maxSystemW} W`,
    machineSource(m.sourceId)?.title ?? m.sourceId,
  ],
};

/** The columns of a cloud instance row. */
export const INSTANCE_COLUMNS: Pick<SearchCommand<CloudInstance>, "header" | "row"> = {
  header: ["cloud", "instance", "accelerators", "vCPUs", "cpu", "memory", "source"],
  row: (i) => [
    i.provider,
    i.name,
    parts(i.accelerators),
    String(i.vcpus),
    i.cpu.hardware,
    `${i.memoryGB} GB`,
    cloudSource(i.sourceId)?.title ?? i.sourceId,
  ],
};

/** The columns of a cloud region row: where it is and the grid zone it is estimated in. */
export const REGION_COLUMNS: Pick<SearchCommand<CloudRegion>, "header" | "row"> = {
  header: ["cloud", "region", "location", "zone", "source"],
  row: (r) => [r.provider, r.id, r.location, r.zone, cloudSource(r.sourceId)?.title ?? r.sourceId],
};

/**
 * A listing's second part (the machine presets after the hardware, the cloud regions after the
 * zones): every row that matched, drawn up to a limit, so that `--limit` cuts it as it cuts
 * the first table and the rows cut are counted.
 */
export function section<R>(
  title: string,
  what: string,
  columns: Pick<SearchCommand<R>, "header" | "row">,
  matched: readonly R[],
): ListingSection {
  return {
    what,
    total: matched.length,
    lines: (limit) => {
      const rows = matched.slice(0, limit);
      if (rows.length === 0) return [];
      const header = typeof columns.header === "function" ? columns.header(rows) : columns.header;
      return [
        "",
        `${title}:`,
        renderTable(
          header,
          rows.map((row) => columns.row(row, rows)),
        ),
      ];
    },
  };
}
