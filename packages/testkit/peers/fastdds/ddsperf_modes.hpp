// Fast DDS side of the Cyclone ddsperf check: ks-pub writes KeyedSeq on DDSPerfRDataKS the way
// `ddsperf pub` does (RELIABLE, KEEP_ALL, VOLATILE, keyval 0, seq counting up, baggage 0xee);
// ks-sub reads what `ddsperf pub` writes.
#pragma once

#include <atomic>
#include <string>

#include <fastdds/dds/subscriber/SampleInfo.hpp>

#include "common/cli.hpp"
#include "common/lifecycle.hpp"
#include "common/node.hpp"
#include "types/keyed_seq.hpp"

namespace peer {

constexpr const char* kDdsperfTopic = "DDSPerfRDataKS";

inline int run_ks_pub(Node& node, const Cli& cli)
{
    long count = cli.integer("count", 100);
    long period_ms = cli.integer("period-ms", 10);
    long wait_ms = static_cast<long>(cli.real("wait-s", 15) * 1000);
    DataWriterQos qos = eprosima::fastdds::dds::DATAWRITER_QOS_DEFAULT;
    qos.reliability().kind = eprosima::fastdds::dds::RELIABLE_RELIABILITY_QOS;
    qos.durability().kind = eprosima::fastdds::dds::VOLATILE_DURABILITY_QOS;
    qos.history().kind = eprosima::fastdds::dds::KEEP_ALL_HISTORY_QOS;
    WriterReporter reporter(kDdsperfTopic);
    DataWriter* writer = node.writer(kDdsperfTopic, KeyedSeqTraits::kName, qos, &reporter);
    NodeCloser closer(node);
    if (!reporter.matched.wait_at_least(1, deadline_after_ms(wait_ms)))
    {
        emit("MATCH_TIMEOUT readers=0");
        return 1;
    }
    // A VOLATILE Cyclone reader starts at the writer's sequence number when it matches the
    // writer; samples sent before that (we can match first) count as history it never asks for.
    sleep_ms(cli.integer("settle-ms", 500));
    KeyedSeq sample;
    sample.baggage.assign(static_cast<size_t>(cli.integer("size", 0)), 0xee);
    for (long i = 0; i < count && !stop_requested().load(); ++i)
    {
        sample.seq = static_cast<uint32_t>(i);
        writer->write(&sample);
        sleep_ms(period_ms);
    }
    emit("WROTE_TOTAL " + std::to_string(count));
    eprosima::fastrtps::Duration_t timeout(5, 0);
    bool acked = writer->wait_for_acknowledgments(timeout) == ReturnCode_t::RETCODE_OK;
    emit(std::string("ACK ") + (acked ? "OK" : "TIMEOUT") + " readers=" +
            std::to_string(reporter.matched.get()));
    return acked ? 0 : 1;
}

inline int run_ks_sub(Node& node, const Cli& cli)
{
    long count = cli.integer("count", 100);
    long wait_ms = static_cast<long>(cli.real("wait-s", 15) * 1000);
    DataReaderQos qos = eprosima::fastdds::dds::DATAREADER_QOS_DEFAULT;
    qos.reliability().kind = eprosima::fastdds::dds::RELIABLE_RELIABILITY_QOS;
    qos.history().kind = eprosima::fastdds::dds::KEEP_ALL_HISTORY_QOS;
    std::atomic<long> received{0};
    ReaderReporter reporter(kDdsperfTopic);
    reporter.on_data = [&](DataReader* reader)
            {
                KeyedSeq sample;
                eprosima::fastdds::dds::SampleInfo info;
                while (reader->take_next_sample(&sample, &info) == ReturnCode_t::RETCODE_OK)
                {
                    if (info.valid_data)
                    {
                        ++received;
                    }
                }
            };
    node.reader(kDdsperfTopic, KeyedSeqTraits::kName, qos, &reporter);
    NodeCloser closer(node);
    wait_until(deadline_after_ms(wait_ms), [&]
            {
                return received.load() >= count;
            });
    emit("TOTAL " + std::to_string(received.load()));
    return received.load() >= count ? 0 : 1;
}

} // namespace peer
