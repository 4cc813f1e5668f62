#include "transaction.hpp"

#include <sqlite3.h>

namespace mako::sqlite::detail {

namespace {
// Errors during rollback are ignored: the connection may already have rolled back on its own
// (SQLite does so after SQLITE_FULL or an I/O error), and the caller reports the original error.
void quiet(Connection& c, const char* sql) {
  if (c.in_transaction()) sqlite3_exec(c.handle(), sql, nullptr, nullptr, nullptr);
}
}  // namespace

WriteTransaction::WriteTransaction(Connection& c) : c_(c), nested_(c.in_transaction()) {
  auto& begin = c_.statement(nested_ ? "SAVEPOINT tx" : "BEGIN IMMEDIATE");
  StatementScope scope(begin);
  begin.run();
}

WriteTransaction::~WriteTransaction() {
  if (!open_) return;
  if (nested_) {
    quiet(c_, "ROLLBACK TO tx");
    quiet(c_, "RELEASE tx");
  } else {
    quiet(c_, "ROLLBACK");
  }
}

void WriteTransaction::commit() {
  auto& commit = c_.statement(nested_ ? "RELEASE tx" : "COMMIT");
  StatementScope scope(commit);
  commit.run();
  open_ = false;
}

ReadTransaction::ReadTransaction(Connection& c) : c_(c), nested_(c.in_transaction()) {
  if (nested_) return;
  auto& begin = c_.statement("BEGIN");
  StatementScope scope(begin);
  begin.run();
}

ReadTransaction::~ReadTransaction() {
  if (!nested_) quiet(c_, "COMMIT");
}

Savepoint::Savepoint(Connection& c) : c_(c) {
  auto& s = c_.statement("SAVEPOINT batch");
  StatementScope scope(s);
  s.run();
}

Savepoint::~Savepoint() {
  if (open_) {
    quiet(c_, "ROLLBACK TO batch");
    quiet(c_, "RELEASE batch");
  }
}

void Savepoint::release() {
  auto& s = c_.statement("RELEASE batch");
  StatementScope scope(s);
  s.run();
  open_ = false;
}

}  // namespace mako::sqlite::detail
