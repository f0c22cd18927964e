// The wattprint dashboard: a client of the server's own /v1 API, nothing more. Chart.js is
// served by this server (/assets/chart.umd.min.js); no request leaves for another origin.

const KEY_STORAGE = "wattprint.apiKey";
const charts = {};

function $(id) {
  return document.getElementById(id);
}

function headers(json) {
  const result = json ? { "content-type": "application/json" } : {};
  const key = $("api-key").value.trim();
  if (key !== "") result.authorization = `Bearer ${key}`;
  return result;
}

/** GET or POST; resolves to the JSON body, or throws the problem document's detail. */
async function api(path, body) {
  const response = await fetch(path, {
    method: body === undefined ? "GET" : "POST",
    headers: headers(body !== undefined),
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const payload = await response.json().catch(() => ({}));
  if (!response.ok) {
    const detail = forThePage(payload.detail ?? `HTTP ${response.status}`);
    // Most details already say "did you mean ..."; the list is added only where one does not.
    const suggestions =
      payload.suggestions?.length && !/did you mean/i.test(detail)
        ? ` Did you mean: ${payload.suggestions.join(", ")}?`
        : "";
    throw new Error(`${detail}${suggestions}`);
  }
  return payload;
}

/**
 * A detail without the advice to search the tables, which the API words for its own routes
 * ("(GET /v1/zones?query=<name> lists zones)") and the estimation core for its command line
 * ("(run `wattprint zones <query>` to list zones)"): on this page the form's lists do that.
 */
function forThePage(detail) {
  return detail
    .replace(/[;,]?\s*\(?GET \/v1\/[^();]*\)?/g, "")
    .replace(/[;,]?\s*\(?run `wattprint [^`]*`[^();]*\)?/g, "");
}

function draw(id, config) {
  charts[id]?.destroy();
  charts[id] = new window.Chart($(id), {
    ...config,
    options: { responsive: true, maintainAspectRatio: false, animation: false, ...config.options },
  });
}

function show(element, visible) {
  element.hidden = !visible;
}

function formatNumber(value) {
  if (value === 0) return "0";
  const magnitude = Math.abs(value);
  // Past a double's exact integers every further digit is noise, and 1e300 took 400 characters.
  if (magnitude >= 1e15) {
    return value.toLocaleString("en", { notation: "scientific", maximumSignificantDigits: 4 });
  }
  if (magnitude >= 1000) return value.toLocaleString("en", { maximumFractionDigits: 0 });
  return value.toLocaleString("en", { maximumSignificantDigits: 4 });
}

function sourceItem(label, source) {
  const item = document.createElement("li");
  const title = source.url ? document.createElement("a") : document.createElement("span");
  if (source.url) {
    title.href = source.url;
    title.rel = "noreferrer";
  }
  title.textContent = source.title;
  // A value the user gave (an intensity override, a power in watts) has no data year.
  const year = source.year === undefined ? "" : `${source.year}; `;
  item.append(`${label}: `, title, ` (${year}${source.method})`);
  if (source.note) item.append(`. ${source.note}`);
  return item;
}

async function estimate(event) {
  event.preventDefault();
  const form = new FormData($("estimate-form"));
  const location = String(form.get("location") ?? "").trim();
  const request = {
    hardware: [{ name: String(form.get("hardware")), count: Number(form.get("count") || 1) }],
    duration: String(form.get("duration")),
    pue: String(form.get("pue")),
    ...(location !== "" ? { location } : {}),
  };
  show($("estimate-error"), false);
  try {
    const report = await api("/v1/estimate", request);
    $("carbon-value").textContent = formatNumber(report.carbon.value);
    $("energy-value").textContent = formatNumber(report.energy.value);
    $("it-energy-value").textContent = formatNumber(report.itEnergy.value);
    $("pue-value").textContent = String(report.pue.value);
    const place = [
      report.intensity.zoneName ?? report.intensity.zone,
      report.intensity.level,
      report.intensity.year,
    ]
      .filter(Boolean)
      .join(", ");
    $("intensity-value").textContent =
      `${formatNumber(report.intensity.value)} gCO₂eq/kWh (${place})`;
    const list = $("provenance");
    list.replaceChildren(
      sourceItem("Grid intensity", report.intensity.source),
      sourceItem("PUE", report.pue.source),
      ...report.breakdown.map((row) => sourceItem(row.name, row.source)),
    );
    show($("estimate-result"), true);
    draw("breakdown-chart", {
      type: "bar",
      data: {
        labels: report.breakdown.map((row) =>
          row.count > 1 ? `${row.count}x ${row.name}` : row.name,
        ),
        datasets: [
          {
            label: "gCO₂eq",
            data: report.breakdown.map((row) => row.carbon.value),
            backgroundColor: "#2f6b45",
          },
        ],
      },
    });
  } catch (error) {
    $("estimate-error").textContent = error.message;
    show($("estimate-error"), true);
    show($("estimate-result"), false);
  }
}

/** Shows `text` in the element `id`, or hides it when `text` is empty. */
function say(id, text) {
  $(id).textContent = text;
  show($(id), text !== "");
}

/**
 * Names a URL path cannot hold as a segment. A browser resolves "." and ".." (and their
 * percent-encoded forms, %2E, as the URL standard says) before sending: the summary of a
 * project named ".." was fetched from /v1/summary. The server refuses them for new runs; one
 * stored before cannot be summarised here.
 */
const DOT_SEGMENTS = new Set([".", ".."]);
async function loadProjects() {
  try {
    const { projects, truncated } = await api("/v1/projects");
    say("runs-error", "");
    $("project-list").replaceChildren(
      ...projects.map((p) =>
        Object.assign(document.createElement("option"), {
          value: p.project,
          label: `${p.runs} runs`,
        }),
      ),
    );
    // The list holds the first projects by name only; a typed name reaches any other.
    say(
      "projects-note",
      truncated
        ? `Only the first ${projects.length.toLocaleString("en")} projects by name are suggested: type another project's name to see it.`
        : "",
    );
    show($("runs-empty"), projects.length === 0);
    const input = $("project");
    const first = projects.find((p) => !DOT_SEGMENTS.has(p.project));
    if (input.value.trim() === "" && first !== undefined) input.value = first.project;
    await loadSummary();
  } catch (error) {
    show($("runs-empty"), false);
    say("runs-error", error.message);
  }
}

// Only the latest summary asked for is drawn: an answer to an older choice arrives late.
let summaryAsked = 0;

/** Draws the chosen project's summary, or shows why it cannot (never a stale chart). */
async function loadSummary() {
  const asked = ++summaryAsked;
  const project = $("project").value.trim();
  const group = $("group").value;
  if (project === "") {
    forget("runs-chart");
    say("summary-note", "");
    return;
  }
  try {
    if (DOT_SEGMENTS.has(project)) {
      throw new Error(
        `The project "${project}" cannot be summarised from a browser: a URL cannot hold "${project}" as a name. GET /v1/runs?project=${project} lists its runs.`,
      );
    }
    const summary = await api(
      `/v1/projects/${encodeURIComponent(project)}/summary?group=${encodeURIComponent(group)}`,
    );
    if (asked !== summaryAsked) return;
    say("runs-error", "");
    say(
      "summary-note",
      summary.periods.length === 0
        ? `No runs stored for the project "${project}".`
        : summary.truncated
          ? `Showing the newest ${summary.periods.length.toLocaleString("en")} periods: older ones are left out (group by a longer period to see them).`
          : "",
    );
    drawSummary(summary, group);
  } catch (error) {
    if (asked !== summaryAsked) return;
    forget("runs-chart");
    say("summary-note", "");
    say("runs-error", error.message);
  }
}

/** Removes a chart, so a failed reload does not leave the previous one's figures up. */
function forget(id) {
  charts[id]?.destroy();
  delete charts[id];
}

/** Periods drawn at most once the empty ones are filled in; past it the gaps are not drawn. */
const MAX_DRAWN_PERIODS = 5000;

/** The start of the period after `start` (UTC), as the summary writes starts. */
function nextPeriod(start, group) {
  const date = new Date(start);
  if (group === "month") date.setUTCMonth(date.getUTCMonth() + 1);
  else date.setUTCDate(date.getUTCDate() + (group === "week" ? 7 : 1));
  return date.toISOString();
}

/**
 * The summary's periods with the empty ones between them as zeros: the API returns only
 * periods with runs, and as bare categories 2024-02-29 and 2024-12-29 stood side by side as
 * if they were consecutive days. Undefined when that would be more than MAX_DRAWN_PERIODS.
 */
function withEmptyPeriods(periods, group) {
  if (periods.length === 0) return periods;
  const byStart = new Map(periods.map((p) => [new Date(p.start).toISOString(), p]));
  const last = new Date(periods.at(-1).start).toISOString();
  const filled = [];
  for (let start = new Date(periods[0].start).toISOString(); start <= last; ) {
    if (filled.length >= MAX_DRAWN_PERIODS) return undefined;
    filled.push(byStart.get(start) ?? { start, runs: 0, energyKWh: 0, co2G: 0, durationS: 0 });
    start = nextPeriod(start, group);
  }
  return filled;
}

function drawSummary(summary, group) {
  const filled = withEmptyPeriods(summary.periods, group);
  const periods = filled ?? summary.periods;
  if (filled === undefined) {
    say(
      "summary-note",
      `${$("summary-note").textContent} Periods without runs are not drawn (too many to show).`.trim(),
    );
  }
  draw("runs-chart", {
    type: "bar",
    data: {
      labels: periods.map((p) => p.start.slice(0, group === "month" ? 7 : 10)),
      datasets: [
        {
          label: "gCO₂eq",
          data: periods.map((p) => p.co2G),
          backgroundColor: "#2f6b45",
          yAxisID: "co2",
        },
        {
          label: "kWh",
          data: periods.map((p) => p.energyKWh),
          backgroundColor: "#9cc5a1",
          yAxisID: "energy",
        },
      ],
    },
    options: {
      scales: {
        co2: { type: "linear", position: "left", title: { display: true, text: "gCO₂eq" } },
        energy: {
          type: "linear",
          position: "right",
          title: { display: true, text: "kWh" },
          grid: { drawOnChartArea: false },
        },
      },
    },
  });
}

async function loadZones(event) {
  event?.preventDefault();
  const names = $("zones")
    .value.split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "")
    .slice(0, 30);
  const results = await Promise.allSettled(
    names.map((name) => api(`/v1/intensity/${encodeURIComponent(name)}`)),
  );
  const found = results.filter((r) => r.status === "fulfilled").map((r) => r.value);
  // Once each: without a key every zone fails with the same 401, which read seven times over.
  const failed = [
    ...new Set(results.filter((r) => r.status === "rejected").map((r) => r.reason.message)),
  ];
  say("zones-error", failed.join(" "));
  draw("zones-chart", {
    type: "bar",
    data: {
      labels: found.map((z) => z.zoneName),
      datasets: [
        { label: "gCO₂eq/kWh", data: found.map((z) => z.value), backgroundColor: "#5b8c6a" },
      ],
    },
  });
  const sources = [...new Set(found.map((z) => `${z.source.title} (${z.year})`))];
  $("zones-note").textContent = sources.length
    ? `Annual averages. Sources: ${sources.join("; ")}.`
    : "";
}

async function fillLists() {
  try {
    const [{ hardware }, { zones }] = await Promise.all([
      api("/v1/hardware?limit=500"),
      api("/v1/zones?limit=500"),
    ]);
    $("hardware-list").replaceChildren(
      ...hardware.map((h) => Object.assign(document.createElement("option"), { value: h.name })),
    );
    $("zone-list").replaceChildren(
      ...zones.map((z) =>
        Object.assign(document.createElement("option"), { value: z.code, label: z.name }),
      ),
    );
  } catch {
    // Suggestions only: the form works without them (a key may be needed first).
  }
}

function start() {
  const key = $("api-key");
  key.value = sessionStorage.getItem(KEY_STORAGE) ?? "";
  key.addEventListener("change", () => {
    sessionStorage.setItem(KEY_STORAGE, key.value.trim());
    void fillLists();
    void loadProjects();
    void loadZones();
  });
  $("estimate-form").addEventListener("submit", estimate);
  $("zones-form").addEventListener("submit", loadZones);
  // loadSummary shows its own errors: a failed reload says why instead of keeping the chart.
  $("project").addEventListener("change", () => void loadSummary());
  $("group").addEventListener("change", () => void loadSummary());
  $("runs-form").addEventListener("submit", (event) => {
    event.preventDefault();
    void loadSummary();
  });
  void fillLists();
  void loadProjects();
  void loadZones();
}

document.addEventListener("DOMContentLoaded", start);
