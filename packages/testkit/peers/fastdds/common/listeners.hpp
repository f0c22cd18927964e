// Endpoint listeners that print matches and incompatible QoS, and let main() wait on them.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>

#include <fastdds/dds/publisher/DataWriter.hpp>
#include <fastdds/dds/publisher/DataWriterListener.hpp>
#include <fastdds/dds/subscriber/DataReader.hpp>
#include <fastdds/dds/subscriber/DataReaderListener.hpp>

#include "output.hpp"

namespace peer {

using eprosima::fastdds::dds::DataReader;
using eprosima::fastdds::dds::DataReaderListener;
using eprosima::fastdds::dds::DataWriter;
using eprosima::fastdds::dds::DataWriterListener;
using eprosima::fastdds::dds::QosPolicyId_t;

inline const char* policy_name(QosPolicyId_t id)
{
    using namespace eprosima::fastdds::dds;
    switch (id)
    {
        case DURABILITY_QOS_POLICY_ID: return "DURABILITY";
        case DEADLINE_QOS_POLICY_ID: return "DEADLINE";
        case LATENCYBUDGET_QOS_POLICY_ID: return "LATENCYBUDGET";
        case OWNERSHIP_QOS_POLICY_ID: return "OWNERSHIP";
        case LIVELINESS_QOS_POLICY_ID: return "LIVELINESS";
        case PARTITION_QOS_POLICY_ID: return "PARTITION";
        case RELIABILITY_QOS_POLICY_ID: return "RELIABILITY";
        case DESTINATIONORDER_QOS_POLICY_ID: return "DESTINATIONORDER";
        case DATAREPRESENTATION_QOS_POLICY_ID: return "DATAREPRESENTATION";
        case TYPECONSISTENCYENFORCEMENT_QOS_POLICY_ID: return "TYPECONSISTENCYENFORCEMENT";
        default: return "OTHER";
    }
}

// Current match count with a blocking wait; updated from Fast DDS listener threads.
class MatchCount
{
public:
    void set(int count)
    {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            count_ = count;
        }
        changed_.notify_all();
    }

    int get()
    {
        std::lock_guard<std::mutex> lock(mutex_);
        return count_;
    }

    bool wait_at_least(int wanted, std::chrono::steady_clock::time_point deadline)
    {
        std::unique_lock<std::mutex> lock(mutex_);
        return changed_.wait_until(lock, deadline, [&]
                       {
                           return count_ >= wanted;
                       });
    }

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    int count_ = 0;
};

class WriterReporter : public DataWriterListener
{
public:
    explicit WriterReporter(std::string topic)
        : topic_(std::move(topic))
    {
    }

    MatchCount matched;

    void on_publication_matched(
            DataWriter*,
            const eprosima::fastdds::dds::PublicationMatchedStatus& status) override
    {
        emit("MATCHED readers=" + std::to_string(status.current_count) + " topic=" + topic_);
        matched.set(status.current_count);
    }

    void on_offered_incompatible_qos(
            DataWriter*,
            const eprosima::fastdds::dds::OfferedIncompatibleQosStatus& status) override
    {
        emit("INCOMPATIBLE_QOS policy=" + std::to_string(status.last_policy_id) + " name=" +
                policy_name(status.last_policy_id) + " side=writer topic=" + topic_);
    }

private:
    std::string topic_;
};

class ReaderReporter : public DataReaderListener
{
public:
    explicit ReaderReporter(std::string topic)
        : topic_(std::move(topic))
    {
    }

    MatchCount matched;
    // Runs on the Fast DDS listener thread; it must take() the samples.
    std::function<void(DataReader*)> on_data;

    void on_subscription_matched(
            DataReader*,
            const eprosima::fastdds::dds::SubscriptionMatchedStatus& status) override
    {
        emit("MATCHED writers=" + std::to_string(status.current_count) + " topic=" + topic_);
        matched.set(status.current_count);
    }

    void on_requested_incompatible_qos(
            DataReader*,
            const eprosima::fastdds::dds::RequestedIncompatibleQosStatus& status) override
    {
        emit("INCOMPATIBLE_QOS policy=" + std::to_string(status.last_policy_id) + " name=" +
                policy_name(status.last_policy_id) + " side=reader topic=" + topic_);
    }

    void on_data_available(
            DataReader* reader) override
    {
        if (on_data)
        {
            on_data(reader);
        }
    }

private:
    std::string topic_;
};

} // namespace peer
