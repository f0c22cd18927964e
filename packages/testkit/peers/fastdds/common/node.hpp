// Owns one participant with its publisher, subscriber and topics; deletes them on exit.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>

#include <fastdds/dds/domain/DomainParticipant.hpp>
#include <fastdds/dds/domain/DomainParticipantFactory.hpp>
#include <fastdds/dds/publisher/DataWriter.hpp>
#include <fastdds/dds/publisher/Publisher.hpp>
#include <fastdds/dds/publisher/qos/DataWriterQos.hpp>
#include <fastdds/dds/subscriber/DataReader.hpp>
#include <fastdds/dds/subscriber/Subscriber.hpp>
#include <fastdds/dds/subscriber/qos/DataReaderQos.hpp>
#include <fastdds/dds/topic/Topic.hpp>
#include <fastdds/dds/topic/TypeSupport.hpp>

#include "listeners.hpp"
#include "participant.hpp"

namespace peer {

using eprosima::fastdds::dds::DataReaderQos;
using eprosima::fastdds::dds::DataWriterQos;
using eprosima::fastdds::dds::Publisher;
using eprosima::fastdds::dds::Subscriber;
using eprosima::fastdds::dds::Topic;
using eprosima::fastdds::dds::TypeSupport;
using ReturnCode_t = eprosima::fastrtps::types::ReturnCode_t;

class Node
{
public:
    explicit Node(
            const ParticipantOptions& options,
            std::function<void(const std::string&, bool)> on_participant_change = {})
    {
        reporter.on_change = std::move(on_participant_change);
        participant_ = create_participant(options, &reporter);
        if (participant_ == nullptr)
        {
            throw std::runtime_error("create_participant failed");
        }
        publisher_ = participant_->create_publisher(eprosima::fastdds::dds::PUBLISHER_QOS_DEFAULT);
        subscriber_ = participant_->create_subscriber(eprosima::fastdds::dds::SUBSCRIBER_QOS_DEFAULT);
    }

    ~Node()
    {
        close();
    }

    // Deletes every entity, so no listener callback runs after this returns; call it before
    // the listeners (or what they capture) go out of scope.
    void close()
    {
        if (participant_ == nullptr)
        {
            return;
        }
        participant_->delete_contained_entities();
        DomainParticipantFactory::get_instance()->delete_participant(participant_);
        participant_ = nullptr;
    }

    Node(const Node&) = delete;
    Node& operator=(const Node&) = delete;

    ParticipantReporter reporter;

    void register_type(eprosima::fastdds::dds::TopicDataType* type)
    {
        TypeSupport support(type);
        if (support.register_type(participant_) != ReturnCode_t::RETCODE_OK)
        {
            throw std::runtime_error(std::string("register_type failed: ") + support.get_type_name());
        }
    }

    DataWriter* writer(const std::string& topic, const std::string& type, const DataWriterQos& qos,
            WriterReporter* listener)
    {
        DataWriter* writer = publisher_->create_datawriter(find_topic(topic, type), qos, listener);
        if (writer == nullptr)
        {
            throw std::runtime_error("create_datawriter failed on " + topic);
        }
        return writer;
    }

    DataReader* reader(const std::string& topic, const std::string& type, const DataReaderQos& qos,
            ReaderReporter* listener)
    {
        DataReader* reader = subscriber_->create_datareader(find_topic(topic, type), qos, listener);
        if (reader == nullptr)
        {
            throw std::runtime_error("create_datareader failed on " + topic);
        }
        return reader;
    }

    DataReader* reader(eprosima::fastdds::dds::TopicDescription* description, const DataReaderQos& qos,
            ReaderReporter* listener)
    {
        DataReader* reader = subscriber_->create_datareader(description, qos, listener);
        if (reader == nullptr)
        {
            throw std::runtime_error("create_datareader failed on " + description->get_name());
        }
        return reader;
    }

    DomainParticipant* participant()
    {
        return participant_;
    }

    Topic* find_topic(const std::string& name, const std::string& type)
    {
        auto it = topics_.find(name);
        if (it != topics_.end())
        {
            return it->second;
        }
        Topic* topic = participant_->create_topic(name, type, eprosima::fastdds::dds::TOPIC_QOS_DEFAULT);
        if (topic == nullptr)
        {
            throw std::runtime_error("create_topic failed on " + name);
        }
        topics_[name] = topic;
        return topic;
    }

    DomainParticipant* participant_ = nullptr;
    Publisher* publisher_ = nullptr;
    Subscriber* subscriber_ = nullptr;
    std::map<std::string, Topic*> topics_;
};

// Declared after the listeners of a mode function (and what they capture): its destructor
// runs first and closes the node while they still exist.
class NodeCloser
{
public:
    explicit NodeCloser(Node& node)
        : node_(node)
    {
    }

    ~NodeCloser()
    {
        node_.close();
    }

    NodeCloser(const NodeCloser&) = delete;
    NodeCloser& operator=(const NodeCloser&) = delete;

private:
    Node& node_;
};

} // namespace peer
