// fastdds-orchestrator: plays SustainML's orchestrator (participant ORCHESTRATOR_NODE) against
// a carbon footprint node, with SustainML's types, topics and QoS (docs/sustainml-wire.md §3-§5).
// See packages/testkit/README.md for modes, flags and the lines it prints.
#include <algorithm>
#include <exception>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "common/cli.hpp"
#include "common/lifecycle.hpp"
#include "common/node.hpp"
#include "orchestrator/books.hpp"
#include "orchestrator/bus.hpp"
#include "orchestrator/runs.hpp"
#include "orchestrator/tasks.hpp"
#include "orchestrator/topics.hpp"

namespace {

const char* kUsage =
    "usage: fastdds-orchestrator [sequential|burst|latency] [--tasks N] [--domain D]\n"
    "  [--name NAME] [--node-name NAME] [--wait-s S] [--match-wait-s S] [--task-timeout-s S]\n"
    "  [--config TEXT] [--config-node ID] [--config-transaction ID] [--config-timeout-s S]\n"
    "  [--bursts N] [--burst-size N] [--linger-ms MS] [--fixed-problem P]\n"
    "  [--model M] [--model-path P] [--hw H] [--power W] [--latency L] [--region R]\n"
    "  [--continent C] [--user-extra JSON] [--no-status-filter] [--release] [--quiet]\n"
    "env: SUSTAINML_DOMAIN_ID (default domain), FASTDDS_DEFAULT_TRANSPORTS=1 (keep SHM+UDP)\n";

// The real orchestrator's writer histories hold 500 instances (one per task).
constexpr long kMaxTasks = 500;

long seconds_flag_ms(const peer::Cli& cli, const std::string& name, double fallback)
{
    return static_cast<long>(cli.real(name, fallback) * 1000);
}

void report_unmatched(peer::OrchestratorBus& bus, long wait_ms)
{
    auto deadline = peer::deadline_after_ms(wait_ms);
    std::vector<std::string> missing;
    if (!bus.user_input_reporter.matched.wait_at_least(1, deadline))
    {
        missing.push_back(peer::kTopicUserInput);
    }
    if (!bus.ml_model_reporter.matched.wait_at_least(1, deadline))
    {
        missing.push_back(peer::kTopicMLModel);
    }
    if (!bus.hw_resource_reporter.matched.wait_at_least(1, deadline))
    {
        missing.push_back(peer::kTopicHWResource);
    }
    if (!bus.output_matched().wait_at_least(1, deadline))
    {
        missing.push_back(peer::kTopicCarbonOutput);
    }
    // Not fatal: TRANSIENT_LOCAL still delivers the inputs to a reader that matches later.
    for (const auto& topic : missing)
    {
        peer::emit("MATCH_TIMEOUT topic=" + topic);
    }
}

int run(const peer::Cli& cli)
{
    std::string mode = cli.mode().empty() ? "sequential" : cli.mode();
    long tasks = cli.integer("tasks", 1);
    long bursts = mode == "latency" ? cli.integer("bursts", 1) : 0;
    long burst_size = cli.integer("burst-size", 50);
    bool release = cli.has("release");
    long outstanding = release ? std::max(burst_size, mode == "burst" ? tasks : 1L) : tasks + bursts * burst_size;
    if (tasks < 0 || outstanding > kMaxTasks)
    {
        throw std::invalid_argument(release
                ? "at most 500 tasks in one burst (KEEP_LAST 1 x 500 instances)"
                : "at most 500 tasks per run (KEEP_LAST 1 x 500 instances); --release lifts it");
    }
    peer::ParticipantOptions options;
    options.domain = cli.has("domain") ? static_cast<int>(cli.integer("domain", 0)) : peer::domain_from_env();
    options.name = cli.text("name", peer::kOrchestratorName);
    options.properties = {{"fastdds.application.id", "SUSTAINML"}, {"fastdds.application.metadata", ""}};
    std::string node_name = cli.text("node-name", peer::kCarbonNodeName);
    peer::emit("START mode=" + mode + " domain=" + std::to_string(options.domain) + " name=" + options.name +
            " node=" + node_name + " tasks=" + std::to_string(tasks) + " transports=" +
            (peer::default_transports() ? "default" : "udpv4"));

    peer::ParticipantBook participants;
    peer::Node node(options, [&](const std::string& name, bool present)
            {
                if (name == node_name)
                {
                    peer::emit(std::string(present ? "NODE_DISCOVERED" : "NODE_REMOVED") + " name=" + name);
                }
                participants.update(name, present);
            });
    peer::OrchestratorBus bus(node, node_name, !cli.has("no-status-filter"));

    if (!participants.wait_for(node_name, peer::deadline_after_ms(seconds_flag_ms(cli, "wait-s", 30))))
    {
        peer::emit("NODE_TIMEOUT name=" + node_name);
        return 1;
    }
    report_unmatched(bus, seconds_flag_ms(cli, "match-wait-s", 10));

    bool ok = true;
    if (cli.has("config"))
    {
        ok = peer::run_config(bus, cli, seconds_flag_ms(cli, "config-timeout-s", 10)) && ok;
    }
    peer::TaskInputs inputs = peer::task_inputs(cli);
    long timeout_ms = seconds_flag_ms(cli, "task-timeout-s", 30);
    if (mode == "burst")
    {
        ok = peer::run_burst(bus, inputs, 1, tasks, timeout_ms, release) && ok;
    }
    else
    {
        std::vector<double> latencies;
        ok = peer::run_sequential(bus, inputs, 1, tasks, timeout_ms, &latencies, release) && ok;
        if (tasks > 0)
        {
            peer::print_latency(latencies);
        }
        for (long b = 0; b < bursts; ++b)
        {
            uint32_t first = static_cast<uint32_t>(tasks + 1 + b * burst_size);
            ok = peer::run_burst(bus, inputs, first, burst_size, timeout_ms, release) && ok;
        }
    }
    peer::flush_deferred();
    peer::sleep_ms(cli.integer("linger-ms", 300));
    return ok ? 0 : 1;
}

} // namespace

int main(int argc, char** argv)
{
    static const std::set<std::string> kModes = {"", "sequential", "burst", "latency"};
    try
    {
        peer::Cli cli(argc, argv, {"help", "no-status-filter", "release", "quiet"});
        peer::quiet_samples() = cli.has("quiet");
        if (cli.has("help") || kModes.count(cli.mode()) == 0)
        {
            std::cerr << kUsage;
            return cli.has("help") ? 0 : 2;
        }
        peer::install_signal_handlers();
        int code = run(cli);
        peer::emit("EXIT " + std::to_string(code));
        return code;
    }
    catch (const std::exception& error)
    {
        peer::emit(std::string("ERROR ") + error.what());
        return 2;
    }
}
