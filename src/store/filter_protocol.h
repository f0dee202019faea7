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
// Valid for one request; errors of the stream are the PktReader's (sticky).
class FilterInput {
 public:
  explicit FilterInput(PktReader& reader) : reader_(reader) {}
  // Up to out.size() bytes (out must not be empty: kInvalidArgument); 0 at the end of the content.
  Result<size_t> Read(std::span<std::byte> out);
  // True when no content is left, reading ahead one packet if it has to know.
  Result<bool> AtEnd();
  // Reads and discards whatever is left (so the next request starts at the right packet).
  Status Drain();
  bool done() const { return done_; }

 private:
  Status NextPacket();  // refills packet_ or sets done_

  PktReader& reader_;
  std::string packet_;
  size_t used_ = 0;
  bool done_ = false;
};

// Where the handler writes the filtered content. The "status=success" header goes out before the
// first byte; a handler that fails before writing anything makes the reply "status=error" with no
// content. Writes are gathered into full-size packets (git reads each packet with two syscalls);
// what is pending goes out with the reply. Valid for one request.
//
// git sends all of a request's content before it reads any reply, so writing earlier could fill
// both pipes and deadlock. Constructed with the request's FilterInput, Write therefore fails
// (kInvalidArgument) while content is left unread; the handler must read `in` to its end first.
class FilterOutput {
 public:
  explicit FilterOutput(PktWriter& writer) : writer_(writer) {}  // no check (handler unit tests)
  FilterOutput(PktWriter& writer, FilterInput& input) : writer_(writer), input_(&input) {}
  Status Write(std::span<const std::byte> bytes);
  bool started() const { return started_; }

 private:
  friend Status ReplyTo(PktWriter&, FilterOutput&, const Status&);
  Status Start();          // checks the input is read, sends "status=success" and a flush
  Status WritePending();   // the partial packet gathered so far

  PktWriter& writer_;
  FilterInput* input_ = nullptr;
  std::string pending_;
  bool started_ = false;
};

// Handles one request: reads all of `in`, then writes the result to `out` (see FilterOutput for
// why in that order; on failure the protocol layer drains what the handler left). A non-ok Status is reported to git as
// "status=error" for this file (git then fails the operation for a required filter) and its
// message goes to `on_error`; the process keeps serving.
using FilterHandler = std::function<Status(const FilterRequest&, FilterInput& in, FilterOutput& out)>;

struct FilterProcessOptions {
  // Called with each request answered "status=error": the handler's Status, or kUnsupported for a
  // command other than clean and smudge. E.g. print to stderr.
  std::function<void(const FilterRequest&, const Status&)> on_error;
};

// Serves git on (in_fd, out_fd) until it closes the input: the handshake (version 2; the
// capabilities clean and smudge, whichever git offers; never delay), then one request after
// another. OK when the input ends between requests. Error only when the protocol itself breaks:
// a bad handshake or malformed request header (kCorrupt), a malformed packet (kCorrupt), more
// than kMaxTextListLines header lines (kLimit), a pipe closed mid-request (kIO). git then stops
// the process and, for a required filter, fails.
Status RunFilterProcess(int in_fd, int out_fd, const FilterHandler& handler, const FilterProcessOptions& options = {});

}  // namespace gitmodel
