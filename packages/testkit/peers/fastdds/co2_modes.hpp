// fastdds-co2-peer modes on /sustainml/carbon_tracker/output: pub, tlpub, sub, tlsub
// (docs/rtps-notes.md §9).
#pragma once

#include <atomic>
#include <string>

#include <fastdds/dds/subscriber/SampleInfo.hpp>

#include "common/cli.hpp"
#include "common/lifecycle.hpp"
#include "common/node.hpp"
#include "types/co2_footprint.hpp"

namespace peer {

constexpr const char* kCarbonTopic = "/sustainml/carbon_tracker/output";

struct Co2Settings
{
    long count;
    long readers;
    long period_ms;
    long wait_ms;
    long linger_ms;
    long extra_bytes;
    uint32_t problem;
};

inline Co2Settings co2_settings(const Cli& cli, long default_wait_s)
{
    Co2Settings s;
    s.count = cli.integer("count", 5);
    s.readers = cli.integer("readers", 1);
    s.period_ms = cli.integer("period-ms", 200);
    s.wait_ms = static_cast<long>(cli.real("wait-s", static_cast<double>(default_wait_s)) * 1000);
    s.linger_ms = cli.integer("linger-ms", 500);
    s.extra_bytes = cli.integer("extra-bytes", -1);
    s.problem = static_cast<uint32_t>(cli.integer("problem", 7));
    return s;
}

inline CO2Footprint co2_sample(const Co2Settings& s, uint32_t i)
{
    CO2Footprint sample;
    sample.carbon_footprint = 1.5 * i;
    sample.energy_consumption = 2.25;
    sample.carbon_intensity = 300.0 + i;
    if (s.extra_bytes < 0)
    {
        sample.extra_data = {1, 2, 3};
    }
    else
    {
        sample.extra_data.resize(static_cast<size_t>(s.extra_bytes));
        for (size_t j = 0; j < sample.extra_data.size(); ++j)
        {
            sample.extra_data[j] = static_cast<uint8_t>(j);
        }
    }
    sample.task_id = {s.problem, i};
    return sample;
}

// `readers=` tells an ack from live readers apart from the trivial one after they all left.
inline bool wait_for_acks(DataWriter* writer, WriterReporter& reporter, long timeout_ms)
{
    eprosima::fastrtps::Duration_t timeout(static_cast<int32_t>(timeout_ms / 1000),
            static_cast<uint32_t>((timeout_ms % 1000) * 1000000));
    bool ok = writer->wait_for_acknowledgments(timeout) == ReturnCode_t::RETCODE_OK;
    emit(std::string("ACK ") + (ok ? "OK" : "TIMEOUT") + " readers=" +
            std::to_string(reporter.matched.get()));
    return ok;
}

// pub: default writer QoS (RELIABLE, TRANSIENT_LOCAL) with KEEP_ALL; writes after matching.
// The ack wait spans several 3 s heartbeat periods: one lost ACKNACK on a loaded machine
// must not read as a failure to acknowledge.
// tlpub: SustainML output-writer QoS; writes before any reader exists.
inline int run_co2_pub(Node& node, const Cli& cli, bool late_joiners)
{
    Co2Settings s = co2_settings(cli, late_joiners ? 10 : 15);
    DataWriterQos qos = eprosima::fastdds::dds::DATAWRITER_QOS_DEFAULT;
    if (late_joiners)
    {
        qos.reliability().kind = eprosima::fastdds::dds::RELIABLE_RELIABILITY_QOS;
        qos.durability().kind = eprosima::fastdds::dds::TRANSIENT_LOCAL_DURABILITY_QOS;
        qos.history().kind = eprosima::fastdds::dds::KEEP_LAST_HISTORY_QOS;
        qos.history().depth = 1;
        qos.resource_limits().max_instances = 500;
        qos.resource_limits().max_samples_per_instance = 1;
    }
    else
    {
        qos.history().kind = eprosima::fastdds::dds::KEEP_ALL_HISTORY_QOS;
    }
    WriterReporter reporter(kCarbonTopic);
    DataWriter* writer = node.writer(kCarbonTopic, CO2FootprintTraits::kName, qos, &reporter);
    NodeCloser closer(node);
    auto deadline = deadline_after_ms(s.wait_ms);

    auto write_all = [&]()
            {
                for (uint32_t i = 1; i <= static_cast<uint32_t>(s.count); ++i)
                {
                    CO2Footprint sample = co2_sample(s, i);
                    bool ok = writer->write(&sample);
                    emit("WROTE problem=" + std::to_string(s.problem) + " iteration=" + std::to_string(i) +
                            (ok ? "" : " failed=1"));
                    if (!late_joiners && i < s.count)
                    {
                        sleep_ms(s.period_ms);
                    }
                }
            };

    if (late_joiners)
    {
        write_all();
    }
    if (!reporter.matched.wait_at_least(static_cast<int>(s.readers), deadline))
    {
        emit("MATCH_TIMEOUT readers=" + std::to_string(reporter.matched.get()));
        return 1;
    }
    if (!late_joiners)
    {
        write_all();
    }
    bool acked = wait_for_acks(writer, reporter, late_joiners ? std::max<long>(1000,
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count()) :
            cli.integer("ack-wait-s", 15) * 1000);
    sleep_ms(s.linger_ms);
    return acked ? 0 : 1;
}

inline void print_co2(const CO2Footprint& sample)
{
    emit("SAMPLE problem=" + std::to_string(sample.task_id.problem_id) + " iteration=" +
            std::to_string(sample.task_id.iteration_id) + " carbon=" + num(sample.carbon_footprint) +
            " energy=" + num(sample.energy_consumption) + " intensity=" + num(sample.carbon_intensity) +
            " extra_len=" + std::to_string(sample.extra_data.size()) + " extra_fnv=" +
            fnv1a32(sample.extra_data) + " extra_hex=" + hex(sample.extra_data, 64));
}

// sub: RELIABLE, KEEP_ALL. tlsub: SustainML input-reader QoS (RELIABLE, TRANSIENT_LOCAL,
// KEEP_LAST 1, 500/1).
inline int run_co2_sub(Node& node, const Cli& cli, bool late_joiner)
{
    Co2Settings s = co2_settings(cli, 15);
    DataReaderQos qos = eprosima::fastdds::dds::DATAREADER_QOS_DEFAULT;
    qos.reliability().kind = eprosima::fastdds::dds::RELIABLE_RELIABILITY_QOS;
    if (late_joiner)
    {
        qos.durability().kind = eprosima::fastdds::dds::TRANSIENT_LOCAL_DURABILITY_QOS;
        qos.history().kind = eprosima::fastdds::dds::KEEP_LAST_HISTORY_QOS;
        qos.history().depth = 1;
        qos.resource_limits().max_instances = 500;
        qos.resource_limits().max_samples_per_instance = 1;
    }
    else
    {
        qos.history().kind = eprosima::fastdds::dds::KEEP_ALL_HISTORY_QOS;
    }
    std::atomic<long> received{0};
    ReaderReporter reporter(kCarbonTopic);
    reporter.on_data = [&](DataReader* reader)
            {
                CO2Footprint sample;
                eprosima::fastdds::dds::SampleInfo info;
                while (reader->take_next_sample(&sample, &info) == ReturnCode_t::RETCODE_OK)
                {
                    if (info.valid_data)
                    {
                        print_co2(sample);
                        ++received;
                    }
                    else
                    {
                        emit("SAMPLE_NOT_ALIVE instance_state=" + std::to_string(info.instance_state));
                    }
                }
            };
    node.reader(kCarbonTopic, CO2FootprintTraits::kName, qos, &reporter);
    NodeCloser closer(node);
    wait_until(deadline_after_ms(s.wait_ms), [&]
            {
                return received.load() >= s.count;
            });
    emit("TOTAL " + std::to_string(received.load()));
    // Stay a moment so the writer sees our ACKNACK for the last sample before we leave.
    sleep_ms(s.linger_ms);
    return received.load() >= s.count ? 0 : 1;
}

} // namespace peer
