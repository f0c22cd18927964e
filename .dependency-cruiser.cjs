// The import rules of the workspace (docs/architecture.md). `pnpm test` runs this before the
// suites: a cycle, an arrow from a lower layer to a higher one, or I/O in the pure core fails it.
// Sibling packages are matched by name (`@wattprint/x`), files inside a package by path.

/** A package's source outside tests, benches and test support files. */
const src = (pkg) => ({
  path: `^packages/${pkg}/src/`,
  pathNot: "\\.(test|test-support|bench)\\.ts$",
});

/** Forbids `from` to depend on the named sibling packages. */
const notOn = (name, pkg, forbidden, comment) => ({
  name,
  comment,
  severity: "error",
  from: src(pkg),
  to: { path: `^@wattprint/(${forbidden.join("|")})(/|$)` },
});

/**
 * rtps's folders, lowest first (packages/rtps/README.md, "Layout"): each imports only the
 * ones before it, so the protocol machinery never reaches up into the DDS API.
 */
const RTPS_LAYERS = ["wire", "transport", "qos", "endpoints", "discovery", "routing", "dds"];

const rtpsLayers = RTPS_LAYERS.slice(0, -1).map((layer, i) => ({
  name: `rtps-layer-${layer}`,
  comment: `rtps/src/${layer}/ may import only ${RTPS_LAYERS.slice(0, i + 1).join(", ")}.`,
  severity: "error",
  from: { path: `^packages/rtps/src/${layer}/`, pathNot: "\\.test\\.ts$" },
  to: { path: `^packages/rtps/src/(${RTPS_LAYERS.slice(i + 1).join("|")})/` },
}));

const NODE_IO =
  "^(node:)?(fs|fs/promises|net|dgram|http|https|http2|child_process|worker_threads|cluster)$";

module.exports = {
  forbidden: [
    {
      name: "no-cycles",
      comment: "A cycle makes two modules one; split what both need into a third.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "packages-not-on-apps",
      comment: "Apps are wiring on top of packages; nothing below them imports them.",
      severity: "error",
      from: { path: "^packages/" },
      to: { path: "^(apps/|@wattprint/(cli|bus-node|server)(/|$))" },
    },
    notOn("result-is-a-leaf", "result", [".+"], "@wattprint/result depends on nothing."),
    notOn(
      "messages-is-a-leaf",
      "messages",
      ["core", "rtps", "node", "power", "logs", "tracker", "testkit"],
      "messages knows the SustainML types and nothing else of the workspace.",
    ),
    notOn(
      "rtps-knows-no-sustainml",
      "rtps",
      ["messages", "core", "node", "power", "logs", "tracker", "testkit"],
      "rtps is a general DDS-RTPS stack: payloads are opaque bytes.",
    ),
    notOn(
      "core-below-readers-and-node",
      "core",
      ["rtps", "node", "power", "logs", "tracker", "testkit"],
      "core is the estimation layer everything else builds on.",
    ),
    notOn(
      "power-on-core-only",
      "power",
      ["messages", "rtps", "node", "logs", "tracker", "testkit"],
      "power readers depend on the core's tables and units only.",
    ),
    notOn(
      "logs-on-core-only",
      "logs",
      ["messages", "rtps", "node", "power", "tracker", "testkit"],
      "the log format knows units and equivalents, nothing of readers or the bus.",
    ),
    notOn(
      "tracker-on-power-logs-core",
      "tracker",
      ["(?!(power|logs|core|result)(/|$))[^/]+"],
      "the tracker composes power, logs and core (and result); nothing else of the workspace.",
    ),
    notOn("node-not-on-testkit", "node", ["testkit"], "testkit is for tests only."),
    notOn(
      "node-on-messages-rtps-core",
      "node",
      ["(?!(messages|rtps|core|result)(/|$))[^/]+"],
      "node owns the SustainML behaviour on messages, rtps and core; measuring reaches it through its Measurer port.",
    ),
    notOn(
      "measure-on-tracker-power-core",
      "measure",
      ["(?!(tracker|power|core|result)(/|$))[^/]+"],
      "measure runs ONNX models under the tracker; it knows nothing of the bus (the node's port is matched by shape).",
    ),
    {
      name: "server-on-packages",
      comment:
        "The server is an app: it composes packages (core, node, logs, tracker, ...), never another app, rtps directly or testkit.",
      severity: "error",
      from: { path: "^apps/server/(src|public|bench|scripts)/" },
      to: { path: "^(apps/(cli|bus-node)/|@wattprint/(cli|bus-node|rtps|testkit)(/|$))" },
    },
    ...rtpsLayers,
    {
      name: "core-is-pure",
      comment:
        "Importing @wattprint/core never does I/O: the live providers sit behind @wattprint/core/live.",
      severity: "error",
      from: {
        path: "^packages/core/src/",
        pathNot: "^packages/core/src/live/|\\.(test|test-support)\\.ts$",
      },
      to: { path: [NODE_IO, "^packages/core/src/live/"] },
    },
    {
      name: "no-test-support-in-source",
      comment: "Test helpers never ship.",
      severity: "error",
      from: { path: "/src/", pathNot: "\\.(test|test-support)\\.ts$" },
      to: { path: "\\.(test|test-support)\\.ts$" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(node_modules|/dist/|\\.peers-build)" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.base.json" },
    enhancedResolveOptions: {
      conditionNames: ["@wattprint/source", "import", "default"],
      extensions: [".ts", ".js", ".mjs"],
    },
  },
};
