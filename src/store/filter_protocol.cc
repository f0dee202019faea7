#include "store/filter_protocol.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <string_view>
#include <utility>

namespace gitmodel {
namespace {

// A line from git as it may appear in a one-line message: quoted, at most 60 bytes, bytes that
// are not printable ASCII as \xNN.
std::string Shown(std::string_view line) {
  constexpr size_t kMaxShown = 60;
  std::string shown = "\"";
  for (char c : line.substr(0, kMaxShown)) {
    const auto u = static_cast<unsigned char>(c);
    shown += (u >= 0x20 && u < 0x7f && c != '"' && c != '\\') ? std::string(1, c) : fmt::format("\\x{:02x}", u);
  }
  return shown + (line.size() > kMaxShown ? "...\"" : "\"");
}

// git: "git-filter-client", "version=2" (and maybe others), flush. We speak version 2 only.
Status AnswerWelcome(PktReader& reader, PktWriter& writer) {
  GM_ASSIGN_OR_RETURN(std::vector<std::string> lines, reader.ReadTextList());
  if (lines.empty() || lines[0] != "git-filter-client") {
    return Corrupt("bad filter handshake: expected \"git-filter-client\", got {}",
                   lines.empty() ? std::string("a flush packet") : Shown(lines[0]));
  }
  if (std::find(lines.begin() + 1, lines.end(), "version=2") == lines.end()) {
    return Corrupt("bad filter handshake: git does not offer filter protocol version 2");
  }
  GM_RETURN_IF_ERROR(writer.WriteText("git-filter-server"));
  GM_RETURN_IF_ERROR(writer.WriteText("version=2"));
  return writer.WriteFlush();
}

// git: "capability=clean", "capability=smudge", maybe "capability=delay", flush. We take clean and
// smudge where offered (git refuses a capability it did not offer) and never delay.
Status AnswerCapabilities(PktReader& reader, PktWriter& writer) {
  GM_ASSIGN_OR_RETURN(std::vector<std::string> lines, reader.ReadTextList());
  for (std::string_view wanted : {"capability=clean", "capability=smudge"}) {
    if (std::find(lines.begin(), lines.end(), wanted) != lines.end()) GM_RETURN_IF_ERROR(writer.WriteText(wanted));
  }
  return writer.WriteFlush();
}

// "command=...", "pathname=...", other key=value lines; a value may contain '=', a key never does.
Result<FilterRequest> ParseRequest(const std::vector<std::string>& lines) {
  FilterRequest request;
  bool has_command = false;
  bool has_pathname = false;
  for (const std::string& line : lines) {
    const size_t eq = line.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Corrupt("malformed filter request line {}: expected key=value", Shown(line));
    }
    const std::string key = line.substr(0, eq);
    std::string value = line.substr(eq + 1);
    bool repeated = false;
    if (key == "command") {
      repeated = std::exchange(has_command, true);
      request.command = std::move(value);
    } else if (key == "pathname") {
      repeated = std::exchange(has_pathname, true);
      request.pathname = std::move(value);
    } else {
      repeated = !request.args.emplace(key, std::move(value)).second;
    }
    if (repeated) return Corrupt("filter request repeats the key {}", Shown(key));
  }
  if (!has_command) return Corrupt("filter request without a command= line");
  return request;
}

// Problems with a well-formed request that make it fail alone (answered "status=error").
Status CheckRequest(const FilterRequest& request) {
  if (request.command != "clean" && request.command != "smudge") {
    return Unsupported("unknown filter command {} for {}", Shown(request.command), Shown(request.pathname));
  }
  if (request.pathname.empty()) return InvalidArgument("git sent a {} request without a pathname", request.command);
  return OkStatus();
}

Status ServeRequest(PktReader& reader, PktWriter& writer, const FilterHandler& handler,
                    const FilterProcessOptions& options) {
  GM_ASSIGN_OR_RETURN(std::vector<std::string> lines, reader.ReadTextList());
  GM_ASSIGN_OR_RETURN(FilterRequest request, ParseRequest(lines));
  FilterInput in(reader);
  FilterOutput out(writer, in);
  Status result = CheckRequest(request);
  if (result.ok()) result = handler(request, in, out);
  if (!result.ok() && options.on_error) options.on_error(request, result);
  GM_RETURN_IF_ERROR(in.Drain());  // fails only when the stream itself broke
  return ReplyTo(writer, out, result);
}

}  // namespace

Status FilterInput::NextPacket() {
  GM_ASSIGN_OR_RETURN(std::optional<std::string> packet, reader_.Read());
  done_ = !packet.has_value();
  packet_ = done_ ? std::string() : std::move(*packet);
  used_ = 0;
  return OkStatus();
}

Result<bool> FilterInput::AtEnd() {
  while (!done_ && used_ == packet_.size()) GM_RETURN_IF_ERROR(NextPacket());  // skips empty packets
  return done_;
}

Result<size_t> FilterInput::Read(std::span<std::byte> out) {
  if (out.empty()) return InvalidArgument("FilterInput::Read needs room for at least one byte");
  GM_ASSIGN_OR_RETURN(bool at_end, AtEnd());
  if (at_end) return size_t{0};
  const size_t n = std::min(out.size(), packet_.size() - used_);
  std::memcpy(out.data(), packet_.data() + used_, n);
  used_ += n;
  return n;
}

Status FilterInput::Drain() {
  while (!done_) GM_RETURN_IF_ERROR(NextPacket());
  return OkStatus();
}

Status FilterOutput::Start() {
  if (input_ != nullptr) {
    GM_ASSIGN_OR_RETURN(bool at_end, input_->AtEnd());
    if (!at_end) return InvalidArgument("the filter began its reply before reading all of the content git sent");
  }
  GM_RETURN_IF_ERROR(writer_.WriteText("status=success"));
  GM_RETURN_IF_ERROR(writer_.WriteFlush());
  started_ = true;
  pending_.reserve(kMaxPktData);
  return OkStatus();
}

Status FilterOutput::WritePending() {
  GM_RETURN_IF_ERROR(writer_.WriteData(std::as_bytes(std::span(pending_))));
  pending_.clear();
  return OkStatus();
}

Status FilterOutput::Write(std::span<const std::byte> bytes) {
  if (bytes.empty()) return OkStatus();
  if (!started_) GM_RETURN_IF_ERROR(Start());
  if (!pending_.empty()) {
    const size_t take = std::min(kMaxPktData - pending_.size(), bytes.size());
    pending_.append(reinterpret_cast<const char*>(bytes.data()), take);
    bytes = bytes.subspan(take);
    if (pending_.size() < kMaxPktData) return OkStatus();
    GM_RETURN_IF_ERROR(WritePending());
  }
  const size_t whole_packets = bytes.size() / kMaxPktData * kMaxPktData;  // straight from the caller
  GM_RETURN_IF_ERROR(writer_.WriteData(bytes.first(whole_packets)));
  pending_.append(reinterpret_cast<const char*>(bytes.data()) + whole_packets, bytes.size() - whole_packets);
  return OkStatus();
}

// Success: "status=success", flush, content, flush, an empty list, flush. Failure before any
// content: "status=error", flush. Failure after some: the content so far, flush, "status=error",
// flush (the second list overrides the first).
Status ReplyTo(PktWriter& writer, FilterOutput& out, const Status& result) {
  if (!out.started_) {
    if (!result.ok()) {
      GM_RETURN_IF_ERROR(writer.WriteText("status=error"));
      return writer.WriteFlush();
    }
    GM_RETURN_IF_ERROR(out.Start());
  }
  GM_RETURN_IF_ERROR(out.WritePending());
  GM_RETURN_IF_ERROR(writer.WriteFlush());
  if (!result.ok()) GM_RETURN_IF_ERROR(writer.WriteText("status=error"));
  return writer.WriteFlush();
}

Status RunFilterProcess(int in_fd, int out_fd, const FilterHandler& handler, const FilterProcessOptions& options) {
  PktReader reader(in_fd);
  PktWriter writer(out_fd);
  GM_RETURN_IF_ERROR(AnswerWelcome(reader, writer));
  GM_RETURN_IF_ERROR(AnswerCapabilities(reader, writer));
  for (;;) {
    GM_ASSIGN_OR_RETURN(bool eof, reader.AtEof());
    if (eof) return OkStatus();  // git closes the pipe when it is done
    GM_RETURN_IF_ERROR(ServeRequest(reader, writer, handler, options));
  }
}

}  // namespace gitmodel
