import { formatNumber } from "@wattprint/core";

/** One component's live figure; `powerW` is null while it is not known. */
export interface LiveComponent {
  readonly component: string;
  /** measured, modelled, simulated or mixed: the status says which. */
  readonly basis: string;
  readonly powerW: number | null;
}

/** What the status line shows; a null figure is not known yet and is left out. */
export interface LiveFigures {
  readonly elapsedS: number;
  readonly components: readonly LiveComponent[];
  /** Energy so far with the PUE, as the consumption block counts it (and the CO2 with it). */
  readonly energyKWh: number | null;
  readonly co2G: number | null;
}

/** How the line is drawn: colour only on a terminal without NO_COLOR (https://no-color.org). */
export interface StatusStyle {
  readonly colour: boolean;
}

const DIM = "\u001b[2m";
const BOLD = "\u001b[1m";
const RESET = "\u001b[0m";
/** Carriage return, then erase the whole line: the in-place redraw of a terminal status. */
export const CLEAR_LINE = "\r\u001b[2K";

/** `NO_COLOR` set to anything but "" turns colour off (no-color.org). */
export function useColour(
  env: Readonly<Record<string, string | undefined>>,
  terminal: boolean,
): boolean {
  return terminal && (env.NO_COLOR === undefined || env.NO_COLOR === "");
}

/** `0:01:23`, `12:00:05`: elapsed wall time as a clock reads it. */
export function formatElapsed(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  return `${h}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}`;
}

/** Watts with three significant digits (`12.3 W`, `250 W`). */
export function formatPowerW(watts: number): string {
  return `${formatNumber(watts, 3)} W`;
}

/** Energy in Wh below 1 kWh, else kWh, with three significant digits. */
export function formatEnergyKWh(kWh: number): string {
  return kWh < 1 ? `${formatNumber(kWh * 1000, 3)} Wh` : `${formatNumber(kWh, 3)} kWh`;
}

/** CO2 in g below 1 kg, else kg, with three significant digits. */
export function formatCo2G(grams: number): string {
  return grams < 1000
    ? `${formatNumber(grams, 3)} gCO2eq`
    : `${formatNumber(grams / 1000, 3)} kgCO2eq`;
}

/** The status as words: `0:00:12  gpu 150 W measured  cpu 5.6 W modelled  1.2 Wh  0.21 gCO2eq`. */
export function statusText(figures: LiveFigures, style: StatusStyle): string {
  const dim = (text: string) => (style.colour ? `${DIM}${text}${RESET}` : text);
  const bold = (text: string) => (style.colour ? `${BOLD}${text}${RESET}` : text);
  const parts = [bold(formatElapsed(figures.elapsedS))];
  for (const c of figures.components) {
    const figure = c.powerW === null ? c.basis : `${formatPowerW(c.powerW)} ${c.basis}`;
    parts.push(`${dim(c.component)} ${figure}`);
  }
  if (figures.energyKWh !== null) parts.push(formatEnergyKWh(figures.energyKWh));
  if (figures.co2G !== null) parts.push(formatCo2G(figures.co2G));
  return parts.join("  ");
}

/** The in-place line for a terminal, cut to its width so that it never wraps. */
export function terminalStatus(figures: LiveFigures, style: StatusStyle, columns: number): string {
  const plain = `wattprint ${statusText(figures, { colour: false })}`;
  const room = Math.max(10, columns - 1);
  if (plain.length > room || !style.colour) return `${CLEAR_LINE}${plain.slice(0, room)}`;
  return `${CLEAR_LINE}wattprint ${statusText(figures, style)}`;
}

/** The periodic line where stderr is not a terminal: plain text, one line each time. */
export function plainStatus(figures: LiveFigures): string {
  return `wattprint track: ${statusText(figures, { colour: false })}\n`;
}
