#pragma once
// One libpq result (PGresult), freed when it goes out of scope. Its columns are text, or all binary
// when the statement asked so (ResultFormat::Binary): then read them with the binary_ accessors.
#include <cstdint>
#include <string>
#include <string_view>

#include "mako/core/uuid.hpp"

#include <libpq-fe.h>

namespace mako::postgres::detail {

// PQexecPrepared's resultFormat: one for all columns of a result.
enum class ResultFormat : int { Text = 0, Binary = 1 };

class Result {
 public:
  explicit Result(PGresult* result) : result_(result) {}
  Result(Result&& other) noexcept : result_(other.result_) { other.result_ = nullptr; }
  Result& operator=(Result&& other) noexcept;
  Result(const Result&) = delete;
  Result& operator=(const Result&) = delete;
  ~Result();

  const PGresult* get() const { return result_; }
  int rows() const { return PQntuples(result_); }
  bool null(int row, int column) const { return PQgetisnull(result_, row, column) != 0; }
  std::string_view text(int row, int column) const {
    return {PQgetvalue(result_, row, column), static_cast<std::size_t>(PQgetlength(result_, row, column))};
  }
  // The rows an INSERT, UPDATE or DELETE changed (0 for other statements).
  std::int64_t affected() const;
  // A bigint/integer column; throws EngineError(Corrupt) naming `label` when it is not one.
  std::int64_t int64(int row, int column, const std::string& label) const;
  // Columns of a binary result (bigint, integer, uuid respectively); a value of another length
  // throws EngineError(Corrupt) naming `label` and the column. text and json columns are their
  // bytes in binary as in text: read them with text().
  std::int64_t binary_int64(int row, int column, const std::string& label) const;
  std::int32_t binary_int32(int row, int column, const std::string& label) const;
  Uuid binary_uuid(int row, int column, const std::string& label) const;

 private:
  // The value's bytes, which must be `size` long.
  const unsigned char* fixed(int row, int column, int size, const char* type, const std::string& label) const;
  PGresult* result_;
};

}  // namespace mako::postgres::detail
