#include "result.hpp"

#include <charconv>
#include <string>

#include "mako/core/errors.hpp"

namespace mako::postgres::detail {

Result& Result::operator=(Result&& other) noexcept {
  if (this != &other) {
    PQclear(result_);
    result_ = other.result_;
    other.result_ = nullptr;
  }
  return *this;
}

Result::~Result() { PQclear(result_); }

std::int64_t Result::affected() const {
  const char* n = PQcmdTuples(result_);
  std::int64_t v = 0;
  if (n && *n) std::from_chars(n, n + std::char_traits<char>::length(n), v);
  return v;
}

std::int64_t Result::int64(int row, int column, const std::string& label) const {
  const auto t = text(row, column);
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || end != t.data() + t.size() || t.empty())
    throw EngineError(EngineError::Kind::Corrupt, label + ": column " + PQfname(result_, column) + " holds '" +
                                                      std::string(t) + "', not an integer");
  return v;
}

}  // namespace mako::postgres::detail
