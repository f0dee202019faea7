// git's long-running filter process protocol, version 2 (gitattributes(5), "Long Running
// Filter Process"): the handshake, then one request after another until git closes the pipe.
// The protocol is here; what clean and smudge do is the FilterHandler's.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <span>
#include <string>

#include "gitmodel/status.h"
#include "store/pkt_line.h"

namespace gitmodel {

struct FilterRequest {
  std::string command;   // "clean" or "smudge"
  std::string pathname;  // relative to the repository root
  std::map<std::string, std::string> args;  // other key=value lines (ref, treeish, blob, ...)
};

// The content git sends with a request: read until Read returns 0 (the flush that ends it).
class FilterInput {
 public:
  explicit FilterInput(PktReader& reader) : reader_(reader) {}
  // Up to out.size() bytes; 0 at the end of the content.
  Result<size_t> Read(std::span<std::byte> out);
  // Reads and discards whatever is left (so the next request starts at the right packet).
  Status Drain();
  bool done() const { return done_; }

 private:
  PktReader& reader_;
  std::string packet_;
  size_t used_ = 0;
  bool done_ = false;
};

// Where the handler writes the filtered content. The "status=success" header goes out before the
// first byte; a handler that fails before writing anything makes the reply "status=error" with no
// content.
class FilterOutput {
 public:
  explicit FilterOutput(PktWriter& writer) : writer_(writer) {}
  Status Write(std::span<const std::byte> bytes);
  bool started() const { return started_; }

 private:
  friend Status ReplyTo(PktWriter&, FilterOutput&, const Status&);
  PktWriter& writer_;
  bool started_ = false;
};

// Handles one request: reads all of `in` (it must be drained even on failure: the protocol layer
// drains what is left), then writes the result to `out`. A non-ok Status is reported to git as
// "status=error" for this file (git then fails the operation for a required filter) and its
// message goes to `on_error`; the process keeps serving.
using FilterHandler = std::function<Status(const FilterRequest&, FilterInput& in, FilterOutput& out)>;

struct FilterProcessOptions {
  std::function<void(const FilterRequest&, const Status&)> on_error;  // e.g. print to stderr
};

// Serves git on (in_fd, out_fd) until it closes the input. Error only when the protocol itself
// breaks (bad handshake, malformed packets, a closed pipe mid-request).
Status RunFilterProcess(int in_fd, int out_fd, const FilterHandler& handler, const FilterProcessOptions& options = {});

}  // namespace gitmodel
