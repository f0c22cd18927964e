// Orchestrator runs: sequential tasks, a burst, the latency benchmark and the configuration
// request. Each returns whether everything it expected arrived.
#pragma once

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "../common/cli.hpp"
#include "../common/lifecycle.hpp"
#include "bus.hpp"
#include "tasks.hpp"

namespace peer {

inline double ms_between(Clock::time_point from, Clock::time_point to)
{
    return std::max(0.0, std::chrono::duration<double, std::milli>(to - from).count());
}

// Latency of one task: from its last input written to its output received.
inline bool run_one(OrchestratorBus& bus, const TaskInputs& t, uint32_t index, long timeout_ms,
        double* latency_ms, bool release)
{
    TaskId id = task_id_for(t, index);
    write_task(bus, t, id);
    Clock::time_point written = Clock::now();
    OutputRecord record;
    if (!bus.outputs.wait_for({id.problem_id, id.iteration_id}, deadline_after_ms(timeout_ms), &record))
    {
        emit("TASK_TIMEOUT problem=" + std::to_string(id.problem_id) + " iteration=" +
                std::to_string(id.iteration_id));
        return false;
    }
    *latency_ms = ms_between(written, record.at);
    // Monotonic clock readings (CLOCK_MONOTONIC, as Node's hrtime) so a trace of the node can
    // be lined up with the orchestrator's view of each task.
    emit_after_run("TASK_DONE problem=" + std::to_string(id.problem_id) + " iteration=" +
            std::to_string(id.iteration_id) + " latency_ms=" + num(*latency_ms) + " written_mono_ms=" +
            num(std::chrono::duration<double, std::milli>(written.time_since_epoch()).count()) +
            " received_mono_ms=" +
            num(std::chrono::duration<double, std::milli>(record.at.time_since_epoch()).count()));
    if (release)
    {
        release_task(bus, id);
    }
    return true;
}

inline bool run_sequential(OrchestratorBus& bus, const TaskInputs& t, uint32_t first, long tasks,
        long timeout_ms, std::vector<double>* latencies, bool release)
{
    bool all = true;
    for (long i = 0; i < tasks && !stop_requested().load(); ++i)
    {
        double latency = 0;
        if (run_one(bus, t, first + static_cast<uint32_t>(i), timeout_ms, &latency, release))
        {
            latencies->push_back(latency);
        }
        else
        {
            all = false;
        }
    }
    return all;
}

// Writes every task back to back, then waits for all outputs.
inline bool run_burst(OrchestratorBus& bus, const TaskInputs& t, uint32_t first, long tasks, long timeout_ms,
        bool release)
{
    Clock::time_point start = Clock::now();
    for (long i = 0; i < tasks; ++i)
    {
        write_task(bus, t, task_id_for(t, first + static_cast<uint32_t>(i)));
    }
    auto deadline = deadline_after_ms(timeout_ms);
    long arrived = 0;
    Clock::time_point last = start;
    for (long i = 0; i < tasks; ++i)
    {
        TaskId id = task_id_for(t, first + static_cast<uint32_t>(i));
        OutputRecord record;
        if (bus.outputs.wait_for({id.problem_id, id.iteration_id}, deadline, &record))
        {
            ++arrived;
            last = std::max(last, record.at);
        }
        else
        {
            emit("TASK_TIMEOUT problem=" + std::to_string(id.problem_id) + " iteration=" +
                    std::to_string(id.iteration_id));
        }
    }
    if (release)
    {
        for (long i = 0; i < tasks; ++i)
        {
            release_task(bus, task_id_for(t, first + static_cast<uint32_t>(i)));
        }
    }
    double seconds = ms_between(start, last) / 1000.0;
    emit("BURST tasks=" + std::to_string(tasks) + " arrived=" + std::to_string(arrived) + " seconds=" +
            num(seconds) + " tasks_per_s=" + num(seconds > 0 ? static_cast<double>(arrived) / seconds : 0));
    return arrived == tasks;
}

inline double percentile(std::vector<double> values, double p)
{
    if (values.empty())
    {
        return 0;
    }
    std::sort(values.begin(), values.end());
    size_t index = static_cast<size_t>(p * static_cast<double>(values.size() - 1) + 0.5);
    return values[std::min(index, values.size() - 1)];
}

inline void print_latency(const std::vector<double>& latencies)
{
    double total = 0;
    for (double value : latencies)
    {
        total += value;
    }
    double mean = latencies.empty() ? 0 : total / static_cast<double>(latencies.size());
    double max = latencies.empty() ? 0 : *std::max_element(latencies.begin(), latencies.end());
    emit("LATENCY n=" + std::to_string(latencies.size()) + " p50_ms=" + num(percentile(latencies, 0.5)) +
            " p99_ms=" + num(percentile(latencies, 0.99)) + " max_ms=" + num(max) + " mean_ms=" + num(mean));
}

// v0.1/v0.2 configuration service: one RequestTypeImpl, wait for the matching response.
inline bool run_config(OrchestratorBus& bus, const Cli& cli, long timeout_ms)
{
    bus.open_config();
    Request request;
    request.node_id = static_cast<int32_t>(cli.integer("config-node", 1));
    request.transaction_id = static_cast<int32_t>(cli.integer("config-transaction", 1));
    request.configuration = cli.text("config", "");
    auto deadline = deadline_after_ms(timeout_ms);
    // The real orchestrator's request/reply is TRANSIENT_LOCAL, but a reply sent before our
    // reader matched would be missed by a VOLATILE-minded peer: wait for both matches first.
    bool matched = bus.request_reporter.matched.wait_at_least(1, deadline) &&
            bus.response_matched().wait_at_least(1, deadline);
    if (!matched)
    {
        emit("CONFIG_MATCH_TIMEOUT");
    }
    bus.request->write(&request);
    emit("REQUEST_SENT node_id=" + std::to_string(request.node_id) + " transaction_id=" +
            std::to_string(request.transaction_id));
    Response response;
    bool answered = wait_until(deadline, [&]
                    {
                        return bus.take_response(request.node_id, request.transaction_id, &response);
                    });
    if (!answered)
    {
        emit("RESPONSE_TIMEOUT");
    }
    return answered;
}

} // namespace peer
