#pragma once
// Optimistic concurrency: what the writer believes the stream's version to be.
#include <cstdint>
#include <string>

namespace mako {

class ExpectedVersion {
 public:
  enum class Kind { NoStream, Exact, Any };
  static ExpectedVersion no_stream() { return {Kind::NoStream, 0}; }
  static ExpectedVersion exact(std::uint64_t version) { return {Kind::Exact, version}; }  // exact(0) == empty stream
  static ExpectedVersion any() { return {Kind::Any, 0}; }

  Kind kind() const { return kind_; }
  std::uint64_t version() const { return version_; }
  bool matches(std::uint64_t actual) const {
    return kind_ == Kind::Any || (kind_ == Kind::NoStream ? actual == 0 : actual == version_);
  }
  std::string to_string() const;

 private:
  ExpectedVersion(Kind kind, std::uint64_t version) : kind_(kind), version_(version) {}
  Kind kind_;
  std::uint64_t version_;
};

}  // namespace mako
