/** Structured logs: one JSON object per line, so a deployment can ship them as they are. */
export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  log(level: LogLevel, message: string, fields?: LogFields): void;
  /** Whether `level` is written: lets hot paths skip building fields nobody reads. */
  enabled(level: LogLevel): boolean;
}

const LEVELS: readonly string[] = ["debug", "info", "warn", "error"];

/** A switch, not a `RANK[level]` table: hot paths ask about several levels, and a keyed load over
 * level names is one V8 respecialises (and recompiles) whenever a new name shows up. */
function rank(level: LogLevel): number {
  switch (level) {
    case "debug":
      return 10;
    case "info":
      return 20;
    case "warn":
      return 30;
    case "error":
      return 40;
  }
}

export function isLogLevel(value: string): value is LogLevel {
  return LEVELS.includes(value);
}

export interface JsonLoggerOptions {
  readonly level: LogLevel;
  /** Receives each record's line, newline included, and its level (to route or filter it). */
  readonly write: (line: string, level: LogLevel) => void;
  readonly now?: () => Date;
  readonly base?: LogFields;
}

/** Shared by every logger without its own clock (one function, one call target for V8). */
const systemNow = (): Date => new Date();

/**
 * A class rather than a literal of closures: every JSON logger shares the same methods, so
 * code V8 optimised against the warm-up's logger stays valid for the node's own.
 */
class JsonLogger implements Logger {
  private readonly threshold: number;
  private readonly now: () => Date;

  constructor(private readonly options: JsonLoggerOptions) {
    this.threshold = rank(options.level);
    this.now = options.now ?? systemNow;
  }

  enabled(level: LogLevel): boolean {
    return rank(level) >= this.threshold;
  }

  log(level: LogLevel, message: string, fields?: LogFields): void {
    if (rank(level) < this.threshold) return;
    const record = {
      time: this.now().toISOString(),
      level,
      message,
      ...this.options.base,
      ...fields,
    };
    this.options.write(
      `${JSON.stringify(record, (_key, value: unknown) => (typeof value === "bigint" ? String(value) : value))}\n`,
      level,
    );
  }
}

export function createJsonLogger(options: JsonLoggerOptions): Logger {
  return new JsonLogger(options);
}

/**
 * Keeps every record in memory, without bound: for tests and short-lived commands (`wattprint
 * bus send-task`), never for a long-running node (about 1 KB a task).
 */
export function createMemoryLogger(): Logger & {
  readonly records: { level: LogLevel; message: string; fields: LogFields }[];
} {
  const records: { level: LogLevel; message: string; fields: LogFields }[] = [];
  return {
    records,
    enabled: () => true,
    log(level, message, fields = {}) {
      records.push({ level, message, fields });
    },
  };
}
