// SustainML QoS (docs/sustainml-wire.md §5): the orchestrator's writers and readers, and the
// carbon node's side for the fake node.
#pragma once

#include <fastdds/dds/publisher/qos/DataWriterQos.hpp>
#include <fastdds/dds/subscriber/qos/DataReaderQos.hpp>

namespace peer {

// RELIABLE, TRANSIENT_LOCAL, KEEP_LAST 1, max_instances 500, max_samples_per_instance 1.
inline eprosima::fastdds::dds::DataWriterQos sustainml_writer_qos()
{
    using namespace eprosima::fastdds::dds;
    DataWriterQos qos = DATAWRITER_QOS_DEFAULT;
    qos.reliability().kind = RELIABLE_RELIABILITY_QOS;
    qos.durability().kind = TRANSIENT_LOCAL_DURABILITY_QOS;
    qos.history().kind = KEEP_LAST_HISTORY_QOS;
    qos.history().depth = 1;
    qos.resource_limits().max_instances = 500;
    qos.resource_limits().max_samples_per_instance = 1;
    return qos;
}

inline eprosima::fastdds::dds::DataReaderQos sustainml_reader_qos()
{
    using namespace eprosima::fastdds::dds;
    DataReaderQos qos = DATAREADER_QOS_DEFAULT;
    qos.reliability().kind = RELIABLE_RELIABILITY_QOS;
    qos.durability().kind = TRANSIENT_LOCAL_DURABILITY_QOS;
    qos.history().kind = KEEP_LAST_HISTORY_QOS;
    qos.history().depth = 1;
    qos.resource_limits().max_instances = 500;
    qos.resource_limits().max_samples_per_instance = 1;
    qos.resource_limits().max_samples = 500;
    return qos;
}

// v0.1/v0.2 configuration topics: RELIABLE, TRANSIENT_LOCAL, KEEP_LAST 1.
inline eprosima::fastdds::dds::DataWriterQos config_writer_qos()
{
    using namespace eprosima::fastdds::dds;
    DataWriterQos qos = DATAWRITER_QOS_DEFAULT;
    qos.reliability().kind = RELIABLE_RELIABILITY_QOS;
    qos.durability().kind = TRANSIENT_LOCAL_DURABILITY_QOS;
    qos.history().kind = KEEP_LAST_HISTORY_QOS;
    qos.history().depth = 1;
    return qos;
}

inline eprosima::fastdds::dds::DataReaderQos config_reader_qos()
{
    using namespace eprosima::fastdds::dds;
    DataReaderQos qos = DATAREADER_QOS_DEFAULT;
    qos.reliability().kind = RELIABLE_RELIABILITY_QOS;
    qos.durability().kind = TRANSIENT_LOCAL_DURABILITY_QOS;
    qos.history().kind = KEEP_LAST_HISTORY_QOS;
    qos.history().depth = 1;
    return qos;
}

} // namespace peer
