// Helpers for pickle's textual encodings (protocol 0) and arbitrary-size integers.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace gitmodel {

// Parses a decimal integer as written by INT/LONG/PUT/GET ("-12", "12L"). nullopt if malformed.
std::optional<int64_t> ParseDecimalInt(std::string_view text);
// True for a syntactically valid decimal (possibly huge) integer, with optional trailing 'L'.
bool IsDecimalInteger(std::string_view text);
std::optional<double> ParseFloatText(std::string_view text);

// Decodes a Python repr'd byte string ('abc\n' or "ab'c") as written by protocol-0 STRING.
std::optional<std::string> UnquotePythonString(std::string_view text);
// Decodes raw-unicode-escape (protocol-0 UNICODE) into UTF-8.
std::optional<std::string> DecodeRawUnicodeEscape(std::string_view text);

// Little-endian two's-complement bytes (LONG1/LONG4) to int64 when it fits.
std::optional<int64_t> LittleEndianToInt64(std::span<const std::byte> bytes);
// ... and to decimal text for any size.
std::string LittleEndianToDecimal(std::span<const std::byte> bytes);

// Appends code point `cp` as UTF-8.
void AppendUtf8(std::string& out, uint32_t cp);
// Latin-1 interpretation of UTF-8 text (for `_codecs.encode(s, 'latin1')`): nullopt if a code
// point is above 255 or the UTF-8 is invalid.
std::optional<std::string> Utf8ToLatin1(std::string_view utf8);

}  // namespace gitmodel
