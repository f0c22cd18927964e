// RequestTypeImpl / ResponseTypeImpl (docs/sustainml-wire.md §3.2, §10.1 v0.1/v0.2 configuration
// topics sustainml/request and sustainml/response). Keys: node_id BE ‖ transaction_id BE.
#pragma once

#include <string>

#include "../common/cdr_type.hpp"

namespace peer {

struct Request
{
    int32_t node_id = 0;
    int32_t transaction_id = 0;
    std::string configuration;
};

struct RequestTraits
{
    using Sample = Request;
    static constexpr const char* kName = "RequestTypeImpl";
    static constexpr uint32_t kNominalSize = 512;
    static constexpr bool kKeyFitsHash = true;

    static void write(Cdr& cdr, const Sample& s)
    {
        cdr << s.node_id << s.transaction_id << s.configuration;
    }

    static void read(Cdr& cdr, Sample& s)
    {
        cdr >> s.node_id >> s.transaction_id >> s.configuration;
    }

    static size_t size_bound(const Sample& s)
    {
        return 2 * kBoundU32 + bound_string(s.configuration);
    }

    static void key(KeyWriter& key, const Sample& s)
    {
        key.i32(s.node_id);
        key.i32(s.transaction_id);
    }
};

struct Response
{
    int32_t node_id = 0;
    int32_t transaction_id = 0;
    bool success = false;
    int32_t err_code = 0;
    std::string configuration;
};

struct ResponseTraits
{
    using Sample = Response;
    static constexpr const char* kName = "ResponseTypeImpl";
    static constexpr uint32_t kNominalSize = 512;
    static constexpr bool kKeyFitsHash = true;

    static void write(Cdr& cdr, const Sample& s)
    {
        cdr << s.node_id << s.transaction_id << s.success << s.err_code << s.configuration;
    }

    static void read(Cdr& cdr, Sample& s)
    {
        cdr >> s.node_id >> s.transaction_id >> s.success >> s.err_code >> s.configuration;
    }

    static size_t size_bound(const Sample& s)
    {
        return 3 * kBoundU32 + 1 + bound_string(s.configuration);
    }

    static void key(KeyWriter& key, const Sample& s)
    {
        key.i32(s.node_id);
        key.i32(s.transaction_id);
    }
};

using RequestType = CdrTopicType<RequestTraits>;
using ResponseType = CdrTopicType<ResponseTraits>;

} // namespace peer
