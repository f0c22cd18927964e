export {
  AggregateAccumulator,
  type AggregateTotals,
  aggregateSentence,
  aggregateTuple,
  CARBONTRACKER_ATTRIBUTION,
  computedEquivalentsNote,
  FORMAT_ATTRIBUTION,
  type SelectedConsumption,
  selectConsumption,
} from "./aggregate/aggregate.ts";
export {
  type Aggregate,
  aggregateConsumption,
  getAvgPowerUsages,
  getConsumption,
  getDevices,
  getEarlyStop,
  getEpochDurations,
  mostRecentPair,
  type ParsedLogs,
  pairedPath,
  parseAllLogs,
  parseLogs,
  printAggregate,
} from "./api.ts";
export {
  classifyLogFileName,
  type LogFileKind,
  type LogFileName,
  outputLogName,
  standardLogName,
} from "./format/file-names.ts";
export { fixedDecimal, parseNumberToken, plainDecimal } from "./format/numbers.ts";
export {
  averageIntensityRecord,
  CAR_KM_UNIT,
  carKm,
  componentsMessage,
  consumptionDescription,
  consumptionRecord,
  messageRecord,
  OUTPUT_PREFIX,
} from "./format/records.ts";
export { formatEpochDuration, formatHms, parseClock } from "./format/time.ts";
export { fileTimestamp, lineTimestamp } from "./format/timestamps.ts";
export {
  findLogSubfolders,
  LOG_SUBFOLDER_ENTRIES_READ,
  LOG_SUBFOLDERS_READ,
  type LogSubfolders,
} from "./parse/log-subfolders.ts";
export type { FileProblem, SkipReason } from "./parse/problems.ts";
export { SKIP_REASONS } from "./parse/problems.ts";
export {
  checkLogDir,
  type LogDirError,
  LogScan,
  type ScanCounters,
  type ScanIntrospection,
  type ScanOptions,
  scanLogDir,
} from "./parse/scan.ts";
export {
  type AggregateTuple,
  aggregateTupleSchema,
  type ComponentMeasurements,
  type Components,
  type ConsumptionRecord,
  componentMeasurementsSchema,
  componentsSchema,
  consumptionRecordSchema,
  type ParsedLogPair,
  parsedLogPairSchema,
  parseJsonSchema,
} from "./parse/schemas.ts";
export {
  buildHtmlReport,
  type HtmlReportInput,
  type HtmlReportOptions,
  type ReportRun,
  renderHtmlReport,
  runName,
} from "./report/html-report.ts";
export type {
  ActualInput,
  EpochInput,
  IntensityFetchedInput,
  InterruptedInput,
  PredictionInput,
} from "./writer/events.ts";
export { type LogFiles, LogWriter, startLogs } from "./writer/log-writer.ts";
export {
  CARBONTRACKER_FORMAT_VERSION,
  CARBONTRACKER_PUE,
  CARBONTRACKER_PUE_CITATION,
  type LogWriterError,
  type LogWriterOptions,
  logFilePrefixSchema,
} from "./writer/options.ts";
