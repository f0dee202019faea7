// Status and Result<T>: the one error type of libgitmodel.
//
// Every fallible call returns Status (no value) or Result<T> (a value or a Status). Messages are
// written for the user: they name the thing (file, record, offset) and what was expected.
//
// Result is a small std::variant wrapper rather than std::expected because clang 14, the compiler
// Debian 12 ships libFuzzer with, cannot compile libstdc++ 12's <expected>.
#pragma once

#include <string>
#include <utility>
#include <variant>

#include <fmt/core.h>

namespace gitmodel {

enum class Code { kOk, kInvalidArgument, kNotFound, kCorrupt, kUnsupported, kIO, kConflict, kLimit };

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

  // Returns a copy whose message is "<context>: <message>".
  Status WithContext(std::string_view context) const {
    return Status(code_, fmt::format("{}: {}", context, message_));
  }

 private:
  Code code_ = Code::kOk;
  std::string message_;
};

inline Status OkStatus() { return Status(); }

template <typename... Args>
Status InvalidArgument(fmt::format_string<Args...> f, Args&&... args) {
  return Status(Code::kInvalidArgument, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
Status NotFound(fmt::format_string<Args...> f, Args&&... args) {
  return Status(Code::kNotFound, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
Status Corrupt(fmt::format_string<Args...> f, Args&&... args) {
  return Status(Code::kCorrupt, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
Status Unsupported(fmt::format_string<Args...> f, Args&&... args) {
  return Status(Code::kUnsupported, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
Status IOError(fmt::format_string<Args...> f, Args&&... args) {
  return Status(Code::kIO, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
Status LimitExceeded(fmt::format_string<Args...> f, Args&&... args) {
  return Status(Code::kLimit, fmt::format(f, std::forward<Args>(args)...));
}

// A value of type T or a non-ok Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design, like std::expected
  Result(Status status) : v_(std::move(status)) {}  // NOLINT

  bool ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return ok(); }

  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace gitmodel

// Propagates a non-ok Status from an expression returning Status.
#define GM_RETURN_IF_ERROR(expr)            \
  do {                                      \
    ::gitmodel::Status gm_status_ = (expr); \
    if (!gm_status_.ok()) return gm_status_; \
  } while (0)

#define GM_CONCAT_INNER(a, b) a##b
#define GM_CONCAT(a, b) GM_CONCAT_INNER(a, b)

// `GM_ASSIGN_OR_RETURN(auto x, ExprReturningResult());`
#define GM_ASSIGN_OR_RETURN(decl, expr) GM_ASSIGN_OR_RETURN_IMPL(GM_CONCAT(gm_result_, __COUNTER__), decl, expr)
#define GM_ASSIGN_OR_RETURN_IMPL(tmp, decl, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return tmp.status();             \
  decl = std::move(tmp).value()
