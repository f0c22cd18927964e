// Participant creation with the transport choice the interop notes ask for (UDPv4 only unless
// FASTDDS_DEFAULT_TRANSPORTS=1), and a listener that reports remote participants.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <fastdds/dds/domain/DomainParticipant.hpp>
#include <fastdds/dds/domain/DomainParticipantFactory.hpp>
#include <fastdds/dds/domain/DomainParticipantListener.hpp>
#include <fastdds/dds/domain/qos/DomainParticipantQos.hpp>
#include <fastdds/rtps/transport/UDPv4TransportDescriptor.h>

#include "output.hpp"

namespace peer {

using eprosima::fastdds::dds::DomainParticipant;
using eprosima::fastdds::dds::DomainParticipantFactory;
using eprosima::fastdds::dds::DomainParticipantListener;
using eprosima::fastdds::dds::DomainParticipantQos;
using eprosima::fastdds::dds::StatusMask;
using eprosima::fastrtps::rtps::ParticipantDiscoveryInfo;

inline bool default_transports()
{
    const char* flag = std::getenv("FASTDDS_DEFAULT_TRANSPORTS");
    return flag != nullptr && std::string(flag) == "1";
}

inline std::string guid_prefix_hex(const eprosima::fastrtps::rtps::GuidPrefix_t& prefix)
{
    char buf[3];
    std::string out;
    for (auto byte : prefix.value)
    {
        std::snprintf(buf, sizeof(buf), "%02x", static_cast<unsigned>(byte));
        out += buf;
    }
    return out;
}

class ParticipantReporter : public DomainParticipantListener
{
public:
    // Called with (name, discovered) after the line is printed; the orchestrator waits on it.
    std::function<void(const std::string&, bool)> on_change;

    void on_participant_discovery(
            DomainParticipant*,
            ParticipantDiscoveryInfo&& info) override
    {
        const auto& data = info.info;
        std::string name = token(data.m_participantName.to_string());
        std::string guid = guid_prefix_hex(data.m_guid.guidPrefix);
        bool discovered = false;
        switch (info.status)
        {
            case ParticipantDiscoveryInfo::DISCOVERED_PARTICIPANT:
            {
                char vendor[8];
                std::snprintf(vendor, sizeof(vendor), "%02x%02x",
                        static_cast<unsigned>(data.m_VendorId[0]),
                        static_cast<unsigned>(data.m_VendorId[1]));
                emit("PARTICIPANT_DISCOVERED name=" + name + " guid=" + guid + " vendor=" + vendor);
                for (auto it = data.m_properties.begin(); it != data.m_properties.end(); ++it)
                {
                    emit("PARTICIPANT_PROPERTY guid=" + guid + " key=" + token(it->first()) +
                            " value=" + token(it->second()));
                }
                discovered = true;
                break;
            }
            case ParticipantDiscoveryInfo::REMOVED_PARTICIPANT:
                emit("PARTICIPANT_REMOVED name=" + name + " guid=" + guid + " reason=removed");
                break;
            case ParticipantDiscoveryInfo::DROPPED_PARTICIPANT:
                emit("PARTICIPANT_REMOVED name=" + name + " guid=" + guid + " reason=dropped");
                break;
            default:
                return;
        }
        if (on_change)
        {
            on_change(data.m_participantName.to_string(), discovered);
        }
    }
};

struct ParticipantOptions
{
    int domain = 0;
    std::string name;
    // Propagated in SPDP PID_PROPERTY_LIST, as SustainML does for its application id.
    std::vector<std::pair<std::string, std::string>> properties;
};

inline DomainParticipant* create_participant(
        const ParticipantOptions& options,
        DomainParticipantListener* listener)
{
    DomainParticipantQos qos = eprosima::fastdds::dds::PARTICIPANT_QOS_DEFAULT;
    qos.name(options.name);
    for (const auto& property : options.properties)
    {
        qos.properties().properties().emplace_back(property.first, property.second, true);
    }
    if (!default_transports())
    {
        qos.transport().use_builtin_transports = false;
        qos.transport().user_transports.push_back(
            std::make_shared<eprosima::fastdds::rtps::UDPv4TransportDescriptor>());
    }
    // Participant discovery is reported whatever the mask; a wider mask would route
    // DATA_ON_READERS to this listener and starve the readers' on_data_available.
    return DomainParticipantFactory::get_instance()->create_participant(
        options.domain, qos, listener, StatusMask::none());
}

} // namespace peer
