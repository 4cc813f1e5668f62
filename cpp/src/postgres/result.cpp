#include "result.hpp"

#include <array>
#include <charconv>
#include <cstring>
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

const unsigned char* Result::fixed(int row, int column, int size, const char* type, const std::string& label) const {
  const int length = PQgetlength(result_, row, column);
  if (length != size || PQgetisnull(result_, row, column))
    throw EngineError(EngineError::Kind::Corrupt, label + ": column " + PQfname(result_, column) + " holds " +
                                                      std::to_string(length) + " bytes, not a binary " + type);
  return reinterpret_cast<const unsigned char*>(PQgetvalue(result_, row, column));
}

// PostgreSQL's binary format is big-endian (network order).
std::int64_t Result::binary_int64(int row, int column, const std::string& label) const {
  const unsigned char* p = fixed(row, column, 8, "bigint", label);
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | p[i];
  return static_cast<std::int64_t>(v);
}

std::int32_t Result::binary_int32(int row, int column, const std::string& label) const {
  const unsigned char* p = fixed(row, column, 4, "integer", label);
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | p[i];
  return static_cast<std::int32_t>(v);
}

Uuid Result::binary_uuid(int row, int column, const std::string& label) const {
  std::array<std::uint8_t, 16> bytes;
  std::memcpy(bytes.data(), fixed(row, column, 16, "uuid", label), 16);
  return Uuid(bytes);
}

}  // namespace mako::postgres::detail
