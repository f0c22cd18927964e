import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";

/**
 * The server's Prometheus metrics, in a registry of its own (never prom-client's global one),
 * so two servers in one process (tests) count apart. Every label takes values from a set the
 * server chooses: route patterns, status codes, problem types and the zones of the embedded
 * tables; a user-typed override zone is counted as "override".
 */
export class ServerMetrics {
  readonly registry = new Registry();
  readonly requests: Counter<"method" | "route" | "status">;
  readonly latency: Histogram<"method" | "route">;
  readonly estimates: Counter<"zone">;
  readonly runsStored: Counter;
  readonly errors: Counter<"type">;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: "wattprint_server_" });
    this.requests = new Counter({
      name: "wattprint_http_requests_total",
      help: "HTTP requests answered, by method, route pattern and status code",
      labelNames: ["method", "route", "status"],
      registers: [this.registry],
    });
    this.latency = new Histogram({
      name: "wattprint_http_request_duration_seconds",
      help: "Time from receiving a request to sending its response, by route pattern",
      labelNames: ["method", "route"],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
      registers: [this.registry],
    });
    this.estimates = new Counter({
      name: "wattprint_estimates_total",
      help: "Estimates answered, by the grid zone whose intensity they used",
      labelNames: ["zone"],
      registers: [this.registry],
    });
    this.runsStored = new Counter({
      name: "wattprint_runs_stored_total",
      help: "Runs written to the run store by this instance",
      registers: [this.registry],
    });
    this.errors = new Counter({
      name: "wattprint_errors_total",
      help: "Problem documents sent, by problem type",
      labelNames: ["type"],
      registers: [this.registry],
    });
  }
}
