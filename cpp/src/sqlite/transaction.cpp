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

WriteTransaction::WriteTransaction(Connection& c, Nested nested) : c_(c) {
  if (!c.in_transaction()) mode_ = Mode::Transaction;
  else if (nested == Nested::Guard && c.units.depth() > 0) mode_ = Mode::Guard;
  else mode_ = Mode::Savepoint;
  if (mode_ == Mode::Guard) {
    changes_at_start_ = sqlite3_total_changes64(c.handle());
    return;
  }
  // A unit savepoint owed by now must come first: a later one would be released with this one.
  if (mode_ == Mode::Savepoint && c_.units.pending()) c_.take_pending_savepoints();
  auto& begin = c_.statement(mode_ == Mode::Savepoint ? "SAVEPOINT tx" : "BEGIN IMMEDIATE");
  StatementScope scope(begin);
  begin.run();
}

WriteTransaction::~WriteTransaction() {
  if (!open_) return;
  switch (mode_) {
    case Mode::Transaction: quiet(c_, "ROLLBACK"); break;
    case Mode::Savepoint:
      quiet(c_, "ROLLBACK TO tx");
      quiet(c_, "RELEASE tx");
      break;
    case Mode::Guard:
      // Failed before its first write: nothing to undo. After it: the unit holds half a write.
      if (sqlite3_total_changes64(c_.handle()) != changes_at_start_ && c_.units.broken_at == 0)
        c_.units.broken_at = c_.units.holder();
      break;
  }
}

void WriteTransaction::commit() {
  if (mode_ != Mode::Guard) {
    auto& commit = c_.statement(mode_ == Mode::Savepoint ? "RELEASE tx" : "COMMIT");
    StatementScope scope(commit);
    commit.run();
  }
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
  if (c_.units.pending()) c_.take_pending_savepoints();  // first, as in WriteTransaction
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
