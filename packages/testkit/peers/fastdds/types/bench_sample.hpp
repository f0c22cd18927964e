// BenchSample: the benchmark type shared with the TS side (see README, "Bench type").
//   struct BenchSample { @key uint32 key; uint32 seq; sequence<octet> payload; };
#pragma once

#include <cstdint>
#include <vector>

#include "../common/cdr_type.hpp"

namespace peer {

struct BenchSample
{
    uint32_t key = 0;
    uint32_t seq = 0;
    std::vector<uint8_t> payload;
};

struct BenchSampleTraits
{
    using Sample = BenchSample;
    static constexpr const char* kName = "BenchSample";
    static constexpr uint32_t kNominalSize = 112;
    static constexpr bool kKeyFitsHash = true;

    static void write(Cdr& cdr, const Sample& s)
    {
        cdr << s.key << s.seq << s.payload;
    }

    static void read(Cdr& cdr, Sample& s)
    {
        cdr >> s.key >> s.seq >> s.payload;
    }

    static size_t size_bound(const Sample& s)
    {
        return 2 * kBoundU32 + bound_bytes(s.payload);
    }

    static void key(KeyWriter& key, const Sample& s)
    {
        key.u32(s.key);
    }
};

using BenchSampleType = CdrTopicType<BenchSampleTraits>;

} // namespace peer
