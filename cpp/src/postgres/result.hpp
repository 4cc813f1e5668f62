#pragma once
// One libpq result (PGresult), freed when it goes out of scope; text-format columns.
#include <cstdint>
#include <string_view>

#include <libpq-fe.h>

namespace mako::postgres::detail {

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

 private:
  PGresult* result_;
};

}  // namespace mako::postgres::detail
