// Benchmark modes on the BenchSample type (README "Bench type"), so the RTPS package can compare
// Fast DDS -> Fast DDS with TS -> TS on one machine.
//   echo            bench/ping -> bench/pong, sample written back unchanged
//   ping            round trips against an echo; prints latency percentiles
//   throughput-pub  bench/throughput as fast as reliable flow control allows
//   throughput-sub  counts bench/throughput samples; prints samples/s
#pragma once

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include <fastdds/dds/subscriber/SampleInfo.hpp>

#include "common/cli.hpp"
#include "common/lifecycle.hpp"
#include "common/node.hpp"
#include "types/bench_sample.hpp"

namespace peer {

constexpr const char* kPingTopic = "bench/ping";
constexpr const char* kPongTopic = "bench/pong";
constexpr const char* kThroughputTopic = "bench/throughput";

// Round trips and throughput both use RELIABLE, VOLATILE: nothing is replayed between runs.
// KEEP_ALL limits: up to 16 keys x 1000 samples (readers require max_samples >= their product).
inline DataWriterQos bench_writer_qos(bool keep_all)
{
    DataWriterQos qos = eprosima::fastdds::dds::DATAWRITER_QOS_DEFAULT;
    qos.reliability().kind = eprosima::fastdds::dds::RELIABLE_RELIABILITY_QOS;
    qos.durability().kind = eprosima::fastdds::dds::VOLATILE_DURABILITY_QOS;
    if (keep_all)
    {
        qos.history().kind = eprosima::fastdds::dds::KEEP_ALL_HISTORY_QOS;
        qos.resource_limits().max_samples = 16000;
        qos.resource_limits().max_instances = 16;
        qos.resource_limits().max_samples_per_instance = 1000;
        // The 3 s default heartbeat would stall a full KEEP_ALL history between acks.
        qos.reliable_writer_qos().times.heartbeatPeriod = eprosima::fastrtps::Duration_t(0, 50 * 1000 * 1000);
    }
    else
    {
        qos.history().kind = eprosima::fastdds::dds::KEEP_LAST_HISTORY_QOS;
        qos.history().depth = 1;
    }
    return qos;
}

inline DataReaderQos bench_reader_qos(bool keep_all)
{
    DataReaderQos qos = eprosima::fastdds::dds::DATAREADER_QOS_DEFAULT;
    qos.reliability().kind = eprosima::fastdds::dds::RELIABLE_RELIABILITY_QOS;
    qos.durability().kind = eprosima::fastdds::dds::VOLATILE_DURABILITY_QOS;
    if (keep_all)
    {
        qos.history().kind = eprosima::fastdds::dds::KEEP_ALL_HISTORY_QOS;
        qos.resource_limits().max_samples = 16000;
        qos.resource_limits().max_instances = 16;
        qos.resource_limits().max_samples_per_instance = 1000;
    }
    else
    {
        qos.history().kind = eprosima::fastdds::dds::KEEP_LAST_HISTORY_QOS;
        qos.history().depth = 1;
    }
    return qos;
}

inline int run_echo(Node& node, const Cli& cli)
{
    long wait_ms = static_cast<long>(cli.real("wait-s", 600) * 1000);
    std::atomic<long> echoed{0};
    WriterReporter pong_reporter(kPongTopic);
    DataWriter* pong = node.writer(kPongTopic, BenchSampleTraits::kName, bench_writer_qos(false),
                    &pong_reporter);
    ReaderReporter ping_reporter(kPingTopic);
    ping_reporter.on_data = [&](DataReader* reader)
            {
                BenchSample sample;
                eprosima::fastdds::dds::SampleInfo info;
                while (reader->take_next_sample(&sample, &info) == ReturnCode_t::RETCODE_OK)
                {
                    if (info.valid_data)
                    {
                        pong->write(&sample);
                        ++echoed;
                    }
                }
            };
    node.reader(kPingTopic, BenchSampleTraits::kName, bench_reader_qos(false), &ping_reporter);
    NodeCloser closer(node);
    emit("ECHO_READY");
    wait_until(deadline_after_ms(wait_ms), []
            {
                return false;
            });
    emit("ECHOED " + std::to_string(echoed.load()));
    return 0;
}

inline long percentile_us(std::vector<long> sorted, double p)
{
    if (sorted.empty())
    {
        return 0;
    }
    size_t index = static_cast<size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5);
    return sorted[std::min(index, sorted.size() - 1)];
}

inline int run_ping(Node& node, const Cli& cli)
{
    long count = cli.integer("count", 1000);
    long warmup = cli.integer("warmup", 20);
    long size = cli.integer("size", 100);
    long wait_ms = static_cast<long>(cli.real("wait-s", 15) * 1000);

    std::mutex mutex;
    std::condition_variable arrived;
    uint32_t last_seq = 0;

    WriterReporter ping_reporter(kPingTopic);
    DataWriter* ping = node.writer(kPingTopic, BenchSampleTraits::kName, bench_writer_qos(false),
                    &ping_reporter);
    ReaderReporter pong_reporter(kPongTopic);
    pong_reporter.on_data = [&](DataReader* reader)
            {
                BenchSample sample;
                eprosima::fastdds::dds::SampleInfo info;
                while (reader->take_next_sample(&sample, &info) == ReturnCode_t::RETCODE_OK)
                {
                    if (info.valid_data)
                    {
                        {
                            std::lock_guard<std::mutex> lock(mutex);
                            last_seq = sample.seq;
                        }
                        arrived.notify_all();
                    }
                }
            };
    node.reader(kPongTopic, BenchSampleTraits::kName, bench_reader_qos(false), &pong_reporter);
    NodeCloser closer(node);
    auto deadline = deadline_after_ms(wait_ms);
    if (!ping_reporter.matched.wait_at_least(1, deadline) || !pong_reporter.matched.wait_at_least(1, deadline))
    {
        emit("MATCH_TIMEOUT");
        return 1;
    }

    BenchSample sample;
    sample.key = 1;
    sample.payload.assign(static_cast<size_t>(size), 0xab);
    auto round_trip = [&](uint32_t seq, long timeout_ms) -> long
            {
                sample.seq = seq;
                auto start = Clock::now();
                ping->write(&sample);
                std::unique_lock<std::mutex> lock(mutex);
                bool ok = arrived.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&]
                                {
                                    return last_seq == seq;
                                });
                if (!ok)
                {
                    return -1;
                }
                return static_cast<long>(std::chrono::duration_cast<std::chrono::microseconds>(
                           Clock::now() - start).count());
            };

    uint32_t seq = 0;
    for (long i = 0; i < warmup && !stop_requested().load(); ++i)
    {
        round_trip(++seq, 1000);
    }
    std::vector<long> latencies;
    long lost = 0;
    for (long i = 0; i < count && !stop_requested().load(); ++i)
    {
        long us = round_trip(++seq, 2000);
        if (us < 0)
        {
            ++lost;
            emit("PING_TIMEOUT seq=" + std::to_string(seq));
            continue;
        }
        latencies.push_back(us);
    }
    std::sort(latencies.begin(), latencies.end());
    long total = 0;
    for (long us : latencies)
    {
        total += us;
    }
    long mean = latencies.empty() ? 0 : total / static_cast<long>(latencies.size());
    emit("LATENCY n=" + std::to_string(latencies.size()) + " lost=" + std::to_string(lost) +
            " p50_us=" + std::to_string(percentile_us(latencies, 0.5)) +
            " p90_us=" + std::to_string(percentile_us(latencies, 0.9)) +
            " p99_us=" + std::to_string(percentile_us(latencies, 0.99)) +
            " max_us=" + std::to_string(latencies.empty() ? 0 : latencies.back()) +
            " mean_us=" + std::to_string(mean));
    return lost == 0 && static_cast<long>(latencies.size()) == count ? 0 : 1;
}

inline std::string rate_fields(long samples, double seconds)
{
    double rate = seconds > 0 ? static_cast<double>(samples) / seconds : 0;
    return "samples=" + std::to_string(samples) + " seconds=" + num(seconds) + " rate=" +
           std::to_string(static_cast<long>(rate));
}

inline int run_throughput_pub(Node& node, const Cli& cli)
{
    long count = cli.integer("count", 20000);
    long size = cli.integer("size", 100);
    long keys = std::max(1L, cli.integer("keys", 1));
    long wait_ms = static_cast<long>(cli.real("wait-s", 15) * 1000);
    WriterReporter reporter(kThroughputTopic);
    DataWriter* writer = node.writer(kThroughputTopic, BenchSampleTraits::kName, bench_writer_qos(true),
                    &reporter);
    NodeCloser closer(node);
    if (!reporter.matched.wait_at_least(static_cast<int>(cli.integer("readers", 1)),
            deadline_after_ms(wait_ms)))
    {
        emit("MATCH_TIMEOUT");
        return 1;
    }
    BenchSample sample;
    sample.payload.assign(static_cast<size_t>(size), 0xcd);
    auto start = Clock::now();
    for (long i = 1; i <= count && !stop_requested().load(); ++i)
    {
        sample.key = static_cast<uint32_t>(i % keys);
        sample.seq = static_cast<uint32_t>(i);
        // A full KEEP_ALL history blocks for max_blocking_time, then says TIMEOUT: retry.
        while (!writer->write(&sample) && !stop_requested().load())
        {
        }
    }
    bool acked = writer->wait_for_acknowledgments(eprosima::fastrtps::Duration_t(30, 0)) ==
            ReturnCode_t::RETCODE_OK;
    double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    emit("THROUGHPUT_PUB " + rate_fields(count, seconds) + " acked=" + (acked ? "1" : "0"));
    return acked ? 0 : 1;
}

inline int run_throughput_sub(Node& node, const Cli& cli)
{
    long count = cli.integer("count", 20000);
    long wait_ms = static_cast<long>(cli.real("wait-s", 30) * 1000);
    std::mutex mutex;
    long received = 0;
    uint32_t max_seq = 0;
    Clock::time_point first;
    Clock::time_point last;
    ReaderReporter reporter(kThroughputTopic);
    reporter.on_data = [&](DataReader* reader)
            {
                BenchSample sample;
                eprosima::fastdds::dds::SampleInfo info;
                while (reader->take_next_sample(&sample, &info) == ReturnCode_t::RETCODE_OK)
                {
                    if (!info.valid_data)
                    {
                        continue;
                    }
                    std::lock_guard<std::mutex> lock(mutex);
                    last = Clock::now();
                    if (received++ == 0)
                    {
                        first = last;
                    }
                    max_seq = std::max(max_seq, sample.seq);
                }
            };
    node.reader(kThroughputTopic, BenchSampleTraits::kName, bench_reader_qos(true), &reporter);
    NodeCloser closer(node);
    emit("THROUGHPUT_READY");
    wait_until(deadline_after_ms(wait_ms), [&]
            {
                std::lock_guard<std::mutex> lock(mutex);
                return received >= count;
            });
    std::lock_guard<std::mutex> lock(mutex);
    double seconds = received > 1 ? std::chrono::duration<double>(last - first).count() : 0;
    emit("THROUGHPUT " + rate_fields(received, seconds) + " max_seq=" + std::to_string(max_seq));
    return received >= count ? 0 : 1;
}

} // namespace peer
