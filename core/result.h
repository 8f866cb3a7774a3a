// core/result.h — the project's error policy in one type.
//
// Expected failures (a bad file, a corrupt model, a busy database) are values:
// functions return Result<T>, which holds either a T or an Error whose message names
// the file, key or tensor and what was expected versus found. Bugs are asserts.
// Exceptions are not used across module boundaries.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace trove {

struct Error {
  std::string message;
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}          // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}      // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(v_); }
  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const { assert(!ok()); return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

// Result<void>: success or an Error.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : err_(std::move(error)), ok_(false) {}  // NOLINT(google-explicit-constructor)
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { assert(!ok_); return err_; }

 private:
  Error err_;
  bool ok_ = true;
};

using Status = Result<void>;

inline Error make_error(std::string msg) { return Error{std::move(msg)}; }

}  // namespace trove

// Propagate an error from an expression returning Result<...>/Status.
#define TROVE_TRY(expr)                                  \
  do {                                                   \
    auto&& trove_try_r_ = (expr);                        \
    if (!trove_try_r_.ok()) return trove_try_r_.error(); \
  } while (0)
