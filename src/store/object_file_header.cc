// ParseObjectHeader and EncodeObjectHeader (object_store.h): the object file's header.
#include <cstring>
#include <string_view>

#include "store/codec_difference.h"
#include "store/codec_planes.h"
#include "store/object_store.h"

namespace gitmodel {
namespace {

constexpr std::string_view kMagic = "GMOB";
constexpr std::string_view kLegacyMagic = "GMO1";  // before format version 1: always zstd, no delta
constexpr size_t kFixedHeaderBytes = 16;            // magic, 4 single bytes, u64 raw size
constexpr size_t kBaseIdBytes = 32;
constexpr uint8_t kXorOnlyVersion = 1;  // delta section: the base id alone (the op is XOR)

uint64_t LoadU64(const std::byte* at) {
  uint64_t value = 0;
  std::memcpy(&value, at, sizeof value);  // little-endian host (byte_reader.cc)
  return value;
}

std::string_view Magic(std::span<const std::byte> head) {
  return {reinterpret_cast<const char*>(head.data()), kMagic.size()};
}

uint8_t ByteAt(std::span<const std::byte> head, size_t at) { return static_cast<uint8_t>(head[at]); }

Result<ObjectHeader> ParseLegacyHeader(std::span<const std::byte> head) {
  if (ByteAt(head, 4) != static_cast<uint8_t>(Codec::kZstd) || ByteAt(head, 5) != 0 || ByteAt(head, 6) != 0 ||
      ByteAt(head, 7) != 0) {
    return Corrupt("legacy object header with codec {} (only zstd, 1, was written)", ByteAt(head, 4));
  }
  ObjectHeader header;
  header.codec = Codec::kZstd;
  header.raw_size = LoadU64(head.data() + 8);
  header.header_bytes = kFixedHeaderBytes;
  return header;
}

Status CheckCodec(const ObjectHeader& header) {
  const bool planes = header.codec == Codec::kBytePlanes;
  if (!planes && header.codec != Codec::kRaw && header.codec != Codec::kZstd) {
    return Corrupt("unknown codec {} in the object header", static_cast<unsigned>(header.codec));
  }
  if (planes ? !IsPlaneElementSize(header.element_bytes) : header.element_bytes != 0) {
    return Corrupt("element size {} does not fit codec {}", header.element_bytes, static_cast<unsigned>(header.codec));
  }
  return OkStatus();
}

// The version 2 delta op and element size (object_store.h), checked against the rest of the
// header. Version 2 is only written for what version 1 cannot say (a difference delta, a chain
// deeper than version 1 allowed), so that every object has one encoding of its header.
Status ParseDeltaOp(std::span<const std::byte> head, ObjectHeader& header) {
  const uint8_t op = ByteAt(head, kFixedHeaderBytes);
  const uint8_t width = ByteAt(head, kFixedHeaderBytes + 1);
  if (op == static_cast<uint8_t>(DeltaOp::kXor)) {
    if (width != 0) return Corrupt("a XOR delta with an element size of {}", width);
    if (header.depth <= kVersion1MaxDeltaDepth) {
      return Corrupt("a XOR delta of depth {} in format version 2 (version 1 writes it)", header.depth);
    }
    header.delta_op = DeltaOp::kXor;
    return OkStatus();
  }
  if (op != static_cast<uint8_t>(DeltaOp::kDifference)) return Corrupt("unknown delta op {} in the object header", op);
  if (!IsDifferenceElementSize(width) || header.raw_size % width != 0) {
    return Corrupt("a difference delta of {}-byte elements cannot make {} bytes", width, header.raw_size);
  }
  if (header.codec == Codec::kBytePlanes && header.element_bytes != width) {
    return Corrupt("a difference delta of {}-byte elements in byte planes of {}-byte elements", width,
                   header.element_bytes);
  }
  header.delta_op = DeltaOp::kDifference;
  header.delta_element_bytes = width;
  return OkStatus();
}

// The delta section after the fixed header: [op, element size,] base id.
Status ParseDeltaSection(std::span<const std::byte> head, uint8_t version, ObjectHeader& header) {
  const size_t op_bytes = version == kXorOnlyVersion ? 0 : 2;
  if (head.size() < kFixedHeaderBytes + op_bytes + kBaseIdBytes) return Corrupt("object header cut short before its base id");
  if (op_bytes) GM_RETURN_IF_ERROR(ParseDeltaOp(head, header));
  ObjectId base{};
  std::memcpy(base.data(), head.data() + kFixedHeaderBytes + op_bytes, kBaseIdBytes);
  header.base = base;
  header.header_bytes += op_bytes + kBaseIdBytes;
  return OkStatus();
}

Result<ObjectHeader> ParseCurrentHeader(std::span<const std::byte> head) {
  const uint8_t version = ByteAt(head, 4);
  if (version > kObjectFormatVersion) {
    return Unsupported("object format version {} is newer than this git-model's ({}); upgrade git-model",
                       version, kObjectFormatVersion);
  }
  if (version < kXorOnlyVersion) return Corrupt("object format version {} does not exist", version);
  ObjectHeader header;
  header.codec = static_cast<Codec>(ByteAt(head, 5));
  header.element_bytes = ByteAt(head, 6);
  header.depth = ByteAt(head, 7);
  header.raw_size = LoadU64(head.data() + 8);
  header.header_bytes = kFixedHeaderBytes;
  GM_RETURN_IF_ERROR(CheckCodec(header));
  if (header.depth > kMaxDeltaDepth) {
    return Corrupt("delta depth {} is over the limit of {}", header.depth, kMaxDeltaDepth);
  }
  if (header.depth == 0 && version != kXorOnlyVersion) {
    return Corrupt("a whole object in format version {} (only version 1 writes them)", version);
  }
  if (version == kXorOnlyVersion && header.depth > kVersion1MaxDeltaDepth) {
    return Corrupt("delta depth {} is over format version 1's limit of {}", header.depth, kVersion1MaxDeltaDepth);
  }
  if (header.depth > 0) GM_RETURN_IF_ERROR(ParseDeltaSection(head, version, header));
  return header;
}

}  // namespace

Result<ObjectHeader> ParseObjectHeader(std::span<const std::byte> head) {
  if (head.size() < kFixedHeaderBytes) return Corrupt("object file of {} bytes is shorter than its header", head.size());
  Result<ObjectHeader> header = Magic(head) == kMagic         ? ParseCurrentHeader(head)
                                : Magic(head) == kLegacyMagic ? ParseLegacyHeader(head)
                                                              : Result<ObjectHeader>(Corrupt("not a git-model object (bad magic)"));
  if (header.ok() && header->raw_size > kMaxObjectRawBytes) {
    return Corrupt("raw size {} is over the limit of {} bytes", header->raw_size, kMaxObjectRawBytes);
  }
  return header;
}

std::string EncodeObjectHeader(const ObjectHeader& header) {
  const bool delta = header.depth > 0 && header.base;
  const bool xor_only =  // version 1 can say it
      !delta || (header.delta_op == DeltaOp::kXor && header.depth <= kVersion1MaxDeltaDepth);
  std::string out(kMagic);
  out.push_back(static_cast<char>(xor_only ? kXorOnlyVersion : kObjectFormatVersion));
  out.push_back(static_cast<char>(header.codec));
  out.push_back(static_cast<char>(header.element_bytes));
  out.push_back(static_cast<char>(header.depth));
  out.append(reinterpret_cast<const char*>(&header.raw_size), sizeof header.raw_size);  // LE host
  if (!xor_only) {
    out.push_back(static_cast<char>(header.delta_op));
    out.push_back(static_cast<char>(header.delta_element_bytes));
  }
  if (delta) out.append(reinterpret_cast<const char*>(header.base->data()), kBaseIdBytes);
  return out;
}

}  // namespace gitmodel
