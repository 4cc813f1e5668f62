#include "statement.hpp"

#include <sqlite3.h>

#include "connection.hpp"
#include "sqlite_error.hpp"

namespace mako::sqlite::detail {

Statement::Statement(sqlite3* db, std::string_view sql, const std::string& path, Connection* owner)
    : db_(db), path_(path), owner_(owner) {
  int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
  if (rc != SQLITE_OK)
    throw sqlite_error(rc, path_, "preparing '" + std::string(sql.substr(0, 60)) + "'", sqlite3_errmsg(db));
  writes_ = owner_ && !sqlite3_stmt_readonly(stmt_);
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

void Statement::fail(int code) const {
  throw sqlite_error(code, path_,
                     std::string("executing '") + std::string(std::string_view(sqlite3_sql(stmt_)).substr(0, 60)) + "'",
                     sqlite3_errmsg(db_));
}

void Statement::bind(int index, std::int64_t value) {
  if (int rc = sqlite3_bind_int64(stmt_, index, value); rc != SQLITE_OK) fail(rc);
}
void Statement::bind(int index, std::string_view text) {
  if (int rc = sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
      rc != SQLITE_OK)
    fail(rc);
}
void Statement::bind_blob(int index, const void* data, int size) {
  if (int rc = sqlite3_bind_blob(stmt_, index, data, size, SQLITE_STATIC); rc != SQLITE_OK) fail(rc);
}
void Statement::bind_null(int index) {
  if (int rc = sqlite3_bind_null(stmt_, index); rc != SQLITE_OK) fail(rc);
}

bool Statement::step() {
  if (writes_ && owner_->units.pending()) owner_->take_pending_savepoints();
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  fail(rc);
}

void Statement::run() {
  while (step()) {}
}

void Statement::reset() {
  sqlite3_reset(stmt_);  // its result repeats the last step's error, already reported
  sqlite3_clear_bindings(stmt_);
}

bool Statement::is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
std::int64_t Statement::int64(int column) const { return sqlite3_column_int64(stmt_, column); }
std::string_view Statement::text(int column) const {
  auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  return p ? std::string_view(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))) : std::string_view();
}
sqlite3_value* Statement::value(int column) const { return sqlite3_column_value(stmt_, column); }
std::string_view Statement::blob(int column) const {
  auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, column));
  return p ? std::string_view(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))) : std::string_view();
}

}  // namespace mako::sqlite::detail
