/** Structured logs: one JSON object per line, so a deployment can ship them as they are. */
export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  log(level: LogLevel, message: string, fields?: LogFields): void;
  /** Whether `level` is written: lets hot paths skip building fields nobody reads. */
  enabled(level: LogLevel): boolean;
}

const RANK: Readonly<Record<LogLevel, number>> = { debug: 10, info: 20, warn: 30, error: 40 };

export function isLogLevel(value: string): value is LogLevel {
  return Object.hasOwn(RANK, value);
}

export function createJsonLogger(options: {
  readonly level: LogLevel;
  readonly write: (line: string) => void;
  readonly now?: () => Date;
  readonly base?: LogFields;
}): Logger {
  const now = options.now ?? (() => new Date());
  return {
    enabled: (level) => RANK[level] >= RANK[options.level],
    log(level, message, fields) {
      if (RANK[level] < RANK[options.level]) return;
      const record = { time: now().toISOString(), level, message, ...options.base, ...fields };
      options.write(
        `${JSON.stringify(record, (_key, value: unknown) => (typeof value === "bigint" ? String(value) : value))}\n`,
      );
    },
  };
}

/** Keeps records in memory: for tests and for an HTTP status page. */
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
