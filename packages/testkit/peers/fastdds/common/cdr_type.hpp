// Hand-written TopicDataType over Fast CDR 1.x in DDS_CDR mode (XCDR1 + encapsulation
// header), the same bytes fastddsgen-generated SustainML types produce. A Traits struct
// supplies the name, the field order and the key; this class supplies the Fast DDS glue.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include <fastcdr/Cdr.h>
#include <fastcdr/FastBuffer.h>
#include <fastcdr/exceptions/Exception.h>
#include <fastdds/dds/topic/TopicDataType.hpp>
#include <fastrtps/utils/md5.h>

namespace peer {

using eprosima::fastcdr::Cdr;
using eprosima::fastcdr::FastBuffer;
using eprosima::fastrtps::rtps::InstanceHandle_t;
using eprosima::fastrtps::rtps::SerializedPayload_t;

// Key fields serialised big-endian with XCDR2 plain alignment (at most 4), no header:
// the input to the DDS-XTypes 1.3 §7.6.8 key hash.
class KeyWriter
{
public:
    void u32(uint32_t value)
    {
        align(4);
        for (int shift = 24; shift >= 0; shift -= 8)
        {
            bytes_.push_back(static_cast<uint8_t>(value >> shift));
        }
    }

    void i32(int32_t value)
    {
        u32(static_cast<uint32_t>(value));
    }

    void string(const std::string& value)
    {
        u32(static_cast<uint32_t>(value.size() + 1));
        bytes_.insert(bytes_.end(), value.begin(), value.end());
        bytes_.push_back(0);
    }

    const std::vector<uint8_t>& bytes() const
    {
        return bytes_;
    }

private:
    void align(size_t to)
    {
        while (bytes_.size() % to != 0)
        {
            bytes_.push_back(0);
        }
    }

    std::vector<uint8_t> bytes_;
};

// Fills a 16-byte key hash: the key bytes zero-padded when the type's maximum key size fits,
// otherwise (or when forced) their MD5.
inline void fill_key_hash(const std::vector<uint8_t>& key, bool use_md5, InstanceHandle_t* handle)
{
    if (use_md5)
    {
        ::MD5 md5;
        md5.init();
        md5.update(reinterpret_cast<const char*>(key.data()),
                static_cast<unsigned int>(key.size()));
        md5.finalize();
        std::memcpy(handle->value, md5.digest, 16);
        return;
    }
    std::memset(handle->value, 0, 16);
    std::memcpy(handle->value, key.data(), std::min<size_t>(key.size(), 16));
}

// Traits: `Sample`, `kName`, `kNominalSize`, `kKeyFitsHash` (max key size <= 16),
// `write(Cdr&, const Sample&)`, `read(Cdr&, Sample&)`, `size_bound(const Sample&)`,
// `key(KeyWriter&, const Sample&)`.
template<typename Traits>
class CdrTopicType : public eprosima::fastdds::dds::TopicDataType
{
public:
    using Sample = typename Traits::Sample;

    explicit CdrTopicType(
            bool keyed = true,
            const std::string& name = Traits::kName)
    {
        setName(name.c_str());
        m_typeSize = Traits::kNominalSize + 4;
        m_isGetKeyDefined = keyed;
        // No TypeObject: Fast DDS 2.x then matches by type name, like a peer without XTypes.
        auto_fill_type_object(false);
        auto_fill_type_information(false);
    }

    bool serialize(
            void* data,
            SerializedPayload_t* payload) override
    {
        FastBuffer buffer(reinterpret_cast<char*>(payload->data), payload->max_size);
        Cdr ser(buffer, Cdr::DEFAULT_ENDIAN, Cdr::DDS_CDR);
        payload->encapsulation = ser.endianness() == Cdr::BIG_ENDIANNESS ? CDR_BE : CDR_LE;
        try
        {
            ser.serialize_encapsulation();
            Traits::write(ser, *static_cast<Sample*>(data));
        }
        catch (eprosima::fastcdr::exception::Exception&)
        {
            return false;
        }
        payload->length = static_cast<uint32_t>(ser.getSerializedDataLength());
        return true;
    }

    bool deserialize(
            SerializedPayload_t* payload,
            void* data) override
    {
        FastBuffer buffer(reinterpret_cast<char*>(payload->data), payload->length);
        Cdr deser(buffer, Cdr::DEFAULT_ENDIAN, Cdr::DDS_CDR);
        try
        {
            deser.read_encapsulation();
            payload->encapsulation = deser.endianness() == Cdr::BIG_ENDIANNESS ? CDR_BE : CDR_LE;
            Traits::read(deser, *static_cast<Sample*>(data));
        }
        catch (eprosima::fastcdr::exception::Exception&)
        {
            return false;
        }
        return true;
    }

    std::function<uint32_t()> getSerializedSizeProvider(
            void* data) override
    {
        return [data]()
               {
                   // 4 bytes of encapsulation header on top of the body bound.
                   return static_cast<uint32_t>(4 + Traits::size_bound(*static_cast<Sample*>(data)));
               };
    }

    void* createData() override
    {
        return new Sample();
    }

    void deleteData(
            void* data) override
    {
        delete static_cast<Sample*>(data);
    }

    bool getKey(
            void* data,
            InstanceHandle_t* handle,
            bool force_md5 = false) override
    {
        if (!m_isGetKeyDefined)
        {
            return false;
        }
        KeyWriter key;
        Traits::key(key, *static_cast<Sample*>(data));
        fill_key_hash(key.bytes(), force_md5 || !Traits::kKeyFitsHash, handle);
        return true;
    }
};

// Serialized-size bounds: each field plus its worst-case alignment padding.
inline size_t bound_string(const std::string& s)
{
    return 3 + 4 + s.size() + 1;
}

inline size_t bound_bytes(const std::vector<uint8_t>& b)
{
    return 3 + 4 + b.size();
}

inline size_t bound_strings(const std::vector<std::string>& list)
{
    size_t total = 3 + 4;
    for (const auto& s : list)
    {
        total += bound_string(s);
    }
    return total;
}

constexpr size_t kBoundF64 = 7 + 8;
constexpr size_t kBoundU32 = 3 + 4;

} // namespace peer
