// KeyedSeq: Cyclone ddsperf's `-T KS` type on topic DDSPerfRDataKS, so Fast DDS can be checked
// against ddsperf the same way the TS participant is.
//   struct KeyedSeq { uint32 seq; @key uint32 keyval; sequence<octet> baggage; };
#pragma once

#include <cstdint>
#include <vector>

#include "../common/cdr_type.hpp"

namespace peer {

struct KeyedSeq
{
    uint32_t seq = 0;
    uint32_t keyval = 0;
    std::vector<uint8_t> baggage;
};

struct KeyedSeqTraits
{
    using Sample = KeyedSeq;
    static constexpr const char* kName = "KeyedSeq";
    static constexpr uint32_t kNominalSize = 12;
    static constexpr bool kKeyFitsHash = true;

    static void write(Cdr& cdr, const Sample& s)
    {
        cdr << s.seq << s.keyval << s.baggage;
    }

    static void read(Cdr& cdr, Sample& s)
    {
        cdr >> s.seq >> s.keyval >> s.baggage;
    }

    static size_t size_bound(const Sample& s)
    {
        return 2 * kBoundU32 + bound_bytes(s.baggage);
    }

    static void key(KeyWriter& key, const Sample& s)
    {
        key.u32(s.keyval);
    }
};

using KeyedSeqType = CdrTopicType<KeyedSeqTraits>;

} // namespace peer
