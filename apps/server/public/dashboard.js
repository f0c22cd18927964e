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
    const suggestions = payload.suggestions?.length
      ? ` Did you mean: ${payload.suggestions.join(", ")}?`
      : "";
    throw new Error(`${payload.detail ?? `HTTP ${response.status}`}${suggestions}`);
  }
  return payload;
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

async function loadProjects() {
  try {
    const { projects } = await api("/v1/projects");
    const select = $("project");
    select.replaceChildren(
      ...projects.map((p) => {
        const option = document.createElement("option");
        option.value = p.project;
        option.textContent = `${p.project} (${p.runs} runs)`;
        return option;
      }),
    );
    show($("runs-empty"), projects.length === 0);
    if (projects.length > 0) await loadSummary();
  } catch (error) {
    $("runs-empty").textContent = error.message;
    show($("runs-empty"), true);
  }
}

async function loadSummary() {
  const project = $("project").value;
  if (!project) return;
  const group = $("group").value;
  const summary = await api(`/v1/projects/${encodeURIComponent(project)}/summary?group=${group}`);
  draw("runs-chart", {
    type: "bar",
    data: {
      labels: summary.periods.map((p) => p.start.slice(0, group === "month" ? 7 : 10)),
      datasets: [
        {
          label: "gCO₂eq",
          data: summary.periods.map((p) => p.co2G),
          backgroundColor: "#2f6b45",
          yAxisID: "co2",
        },
        {
          label: "kWh",
          data: summary.periods.map((p) => p.energyKWh),
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
  const failed = results.filter((r) => r.status === "rejected").map((r) => r.reason.message);
  $("zones-error").textContent = failed.join(" ");
  show($("zones-error"), failed.length > 0);
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
  $("project").addEventListener("change", () => void loadSummary());
  $("group").addEventListener("change", () => void loadSummary());
  void fillLists();
  void loadProjects();
  void loadZones();
}

document.addEventListener("DOMContentLoaded", start);
