// Hunks of git's binary patch format, written fast enough for files of hundreds of megabytes:
// zlib-compressed in parallel chunks, then base85-encoded in parallel.
//
// Format (git's apply.c / base85.c): "literal <size>\n" (the content) or "delta <size>\n" (a
// binary_delta.h delta), <size> being the inflated size, then the zlib stream in lines of up to 52
// bytes, each line a length character ('A'-'Z' = 1-26, 'a'-'z' = 27-52) followed by the bytes in
// base85 (5 characters per 4 bytes, zero-padded) and "\n", then an empty line.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace gitmodel {

// A complete zlib stream of `data`. Chunks of a few MiB are deflated independently on all cores
// (each ends on a full flush, so their concatenation is one valid deflate stream, as in pigz).
// A 64 KiB sample of each chunk picks the cheapest method that pays: stored when nothing shrinks
// it by a tenth (weights, random or compressed data), Huffman-only when LZ77 matches add little
// (hex, base64, digits: zlib level 1 is 3-5x slower there for 1-3% less), else level 1.
std::vector<std::byte> ZlibCompress(std::span<const std::byte> data);

// Appends git's base85 lines for `data` to `out`.
void AppendBase85Lines(std::span<const std::byte> data, std::string& out);

// Appends "<kind> <size of data>\n", the base85 lines of ZlibCompress(data), and an empty line.
// `kind` is "literal" or "delta".
void AppendBinaryHunk(std::string_view kind, std::span<const std::byte> data, std::string& out);

}  // namespace gitmodel
