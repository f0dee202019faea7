#include "git/binary_hunk.h"

#include <zlib.h>

#include <algorithm>
#include <cstring>

#include "base/parallel.h"
#include "gitmodel/status.h"

namespace gitmodel {
namespace {

constexpr size_t kChunkBytes = size_t{4} << 20;
constexpr size_t kSampleBytes = size_t{64} << 10;
constexpr size_t kLineBytes = 52;
constexpr size_t kLineChars = 1 + kLineBytes / 4 * 5 + 1;  // length char, base85, '\n'
constexpr size_t kLinesPerTask = 16384;
constexpr char kBase85[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~";

struct Method {
  int level;
  int strategy;
};
constexpr Method kStored = {0, Z_DEFAULT_STRATEGY};
constexpr Method kHuffman = {1, Z_HUFFMAN_ONLY};
constexpr Method kLevel1 = {1, Z_DEFAULT_STRATEGY};

// Raw deflate of `in`, ending with Z_FINISH when `last`, else a full flush so the next chunk can
// follow without back-references into this one.
std::vector<std::byte> Deflate(std::span<const std::byte> in, Method method, bool last) {
  z_stream z{};
  deflateInit2(&z, method.level, Z_DEFLATED, -15, 8, method.strategy);
  std::vector<std::byte> out(deflateBound(&z, in.size()) + 64);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<std::byte*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  int flush = last ? Z_FINISH : Z_FULL_FLUSH;
  do {
    if (z.total_out == out.size()) out.resize(out.size() * 2);
    z.next_out = reinterpret_cast<Bytef*>(out.data() + z.total_out);
    z.avail_out = static_cast<uInt>(out.size() - z.total_out);
    deflate(&z, flush);
  } while (z.avail_out == 0);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

// See ZlibCompress in the header; the sample is taken from the chunk's middle.
Method ChooseMethod(std::span<const std::byte> chunk) {
  size_t n = std::min(chunk.size(), kSampleBytes);
  std::span<const std::byte> sample = chunk.subspan((chunk.size() - n) / 2, n);
  size_t huffman = Deflate(sample, kHuffman, true).size();
  size_t level1 = Deflate(sample, kLevel1, true).size();
  if (std::min(huffman, level1) * 10 >= n * 9) return kStored;
  return level1 * 10 < huffman * 8 ? kLevel1 : kHuffman;
}

void PutBigEndian32(uint32_t v, std::vector<std::byte>& out) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::byte>(v >> shift));
}

// Writes the base85 line of `bytes` (1 to 52 of them) at `dst`; returns the characters written.
size_t EncodeLine(const unsigned char* bytes, size_t n, char* dst) {
  char* p = dst;
  *p++ = static_cast<char>(n <= 26 ? 'A' + n - 1 : 'a' + n - 27);
  for (size_t i = 0; i < n; i += 4) {
    uint32_t acc = 0;
    for (size_t j = 0; j < 4; ++j) acc = (acc << 8) | (i + j < n ? bytes[i + j] : 0);
    for (int k = 4; k >= 0; --k, acc /= 85) p[k] = kBase85[acc % 85];
    p += 5;
  }
  *p++ = '\n';
  return static_cast<size_t>(p - dst);
}

}  // namespace

std::vector<std::byte> ZlibCompress(std::span<const std::byte> data) {
  size_t chunks = std::max<size_t>(1, (data.size() + kChunkBytes - 1) / kChunkBytes);
  std::vector<std::vector<std::byte>> parts(chunks);
  std::vector<uLong> adlers(chunks);
  ParallelFor(chunks, [&](size_t i) {
    std::span<const std::byte> chunk = data.subspan(i * kChunkBytes, std::min(kChunkBytes, data.size() - i * kChunkBytes));
    parts[i] = Deflate(chunk, ChooseMethod(chunk), i + 1 == chunks);
    adlers[i] = adler32_z(1, reinterpret_cast<const Bytef*>(chunk.data()), chunk.size());
  });
  std::vector<std::byte> out = {std::byte{0x78}, std::byte{0x01}};  // deflate, 32K window, fastest
  uLong adler = 1;
  for (size_t i = 0; i < chunks; ++i) {
    out.insert(out.end(), parts[i].begin(), parts[i].end());
    size_t length = std::min(kChunkBytes, data.size() - i * kChunkBytes);
    adler = i == 0 ? adlers[0] : adler32_combine(adler, adlers[i], static_cast<z_off_t>(length));
  }
  PutBigEndian32(static_cast<uint32_t>(adler), out);
  return out;
}

void AppendBase85Lines(std::span<const std::byte> data, std::string& out) {
  size_t lines = (data.size() + kLineBytes - 1) / kLineBytes;
  size_t base = out.size();
  out.resize(base + lines * kLineChars);  // an upper bound; the last line may be shorter
  size_t tasks = (lines + kLinesPerTask - 1) / kLinesPerTask;
  std::vector<size_t> last_end(tasks);
  const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
  ParallelFor(tasks, [&](size_t t) {
    size_t end_line = std::min(lines, (t + 1) * kLinesPerTask);
    size_t pos = base + t * kLinesPerTask * kLineChars;
    for (size_t line = t * kLinesPerTask; line < end_line; ++line) {
      size_t n = std::min(kLineBytes, data.size() - line * kLineBytes);
      pos += EncodeLine(bytes + line * kLineBytes, n, out.data() + pos);
    }
    last_end[t] = pos;
  });
  out.resize(tasks ? last_end.back() : base);  // only the very last line can be short
}

void AppendBinaryHunk(std::string_view kind, std::span<const std::byte> data, std::string& out) {
  out += fmt::format("{} {}\n", kind, data.size());
  AppendBase85Lines(ZlibCompress(data), out);
  out += '\n';
}

}  // namespace gitmodel
