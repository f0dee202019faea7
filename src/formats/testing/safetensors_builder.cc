#include "formats/testing/safetensors_builder.h"

#include <cstring>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "gitmodel/dtype.h"

namespace gitmodel::testutil {

std::string JsonQuote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += fmt::format("\\u{:04x}", static_cast<unsigned char>(c));
    } else {
      out += c;
    }
  }
  return out + "\"";
}

SafetensorsBuilder& SafetensorsBuilder::Add(std::string name, std::string dtype, std::vector<int64_t> shape,
                                            std::span<const std::byte> data, const SafetensorsAddOptions& options) {
  uint64_t begin = data_.size();
  data_.insert(data_.end(), data.begin(), data.end());
  tensors_.push_back({std::move(name), std::move(dtype), std::move(shape), begin, data_.size(), options});
  return *this;
}

SafetensorsBuilder& SafetensorsBuilder::Add(std::string name, std::string dtype, std::vector<int64_t> shape,
                                            const SafetensorsAddOptions& options) {
  uint64_t numel = 1;
  for (int64_t d : shape) numel *= static_cast<uint64_t>(d);
  auto known = DTypeFromSafetensors(dtype);
  uint64_t size = known ? ByteSize(*known, numel).value_or(0) : 0;
  std::vector<std::byte> data(size);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::byte>(i);
  return Add(std::move(name), std::move(dtype), std::move(shape), data, options);
}

SafetensorsBuilder& SafetensorsBuilder::Metadata(std::string key, std::string value) {
  return MetadataRaw(std::move(key), JsonQuote(value));
}

SafetensorsBuilder& SafetensorsBuilder::MetadataRaw(std::string key, std::string json_value) {
  metadata_.emplace_back(std::move(key), std::move(json_value));
  return *this;
}

std::string SafetensorsBuilder::Header() const {
  std::vector<std::string> members;
  if (!metadata_.empty()) {
    std::vector<std::string> pairs;
    for (const auto& [k, v] : metadata_) pairs.push_back(JsonQuote(k) + ":" + v);
    members.push_back(fmt::format("\"__metadata__\":{{{}}}", fmt::join(pairs, ",")));
  }
  for (const Tensor& t : tensors_) {
    auto [begin, end] = t.options.data_offsets.value_or(std::pair(t.begin, t.end));
    std::string entry = t.options.raw_entry.value_or(
        fmt::format("{{\"dtype\":{},\"shape\":[{}],\"data_offsets\":[{},{}]}}", JsonQuote(t.dtype),
                    fmt::join(t.shape, ","), begin, end));
    members.push_back(JsonQuote(t.name) + ":" + entry);
  }
  return fmt::format("{{{}}}", fmt::join(members, ","));
}

std::vector<std::byte> SafetensorsBuilder::Finish(const SafetensorsFinishOptions& options) const {
  std::string header = options.header.value_or(Header());
  if (options.pad_to > 1) header.append((options.pad_to - header.size() % options.pad_to) % options.pad_to, ' ');
  uint64_t n = options.header_length.value_or(header.size());
  std::vector<std::byte> out(8 + header.size() + data_.size() + options.trailing.size());
  std::byte* p = out.data();
  auto put = [&p](const void* src, size_t size) {
    if (size) std::memcpy(p, src, size);
    p += size;
  };
  put(&n, 8);  // little-endian hosts only, like the library
  put(header.data(), header.size());
  put(data_.data(), data_.size());
  put(options.trailing.data(), options.trailing.size());
  return out;
}

}  // namespace gitmodel::testutil
