#include "database.hpp"

#include <sqlite3.h>
#include <sys/stat.h>

#include <mutex>

#include "mako/core/errors.hpp"
#include "schema.hpp"

namespace mako::sqlite::detail {

namespace {
// Idle readers kept for reuse; more concurrent readers are opened on demand and closed after use.
constexpr std::size_t kMaxIdleReaders = 16;

// A file without any write permission bit is read-only by intent: never write it, not even as root
// (who would otherwise bypass the permission bits).
void refuse_read_only_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)) == 0)
    throw EngineError(EngineError::Kind::Storage, "sqlite store '" + path +
                                                      "': the file is read-only (no write permission); "
                                                      "open it with read_only = true to read it");
}
}  // namespace

Database::Database(std::string path, SqliteOptions options)
    : path_(std::move(path)), options_(options), in_memory_(path_ == ":memory:") {}

std::shared_ptr<Database> Database::open(const std::string& path, const SqliteOptions& options) {
  if (path.empty())
    throw EngineError::invalid_input("sqlite store: empty path (use \":memory:\" for an in-memory database)");
  if (options.busy_timeout.count() < 0)
    throw EngineError::invalid_input("sqlite store '" + path + "': negative busy timeout");
  if (!options.read_only && path != ":memory:") refuse_read_only_file(path);
  std::shared_ptr<Database> db(new Database(path, options));
  // A read-only store still opens its "writer" read-only: it reads the schema version through it.
  db->writer_ = std::make_unique<Connection>(path, options, Connection::Role::Writer);
  // SQLite silently falls back to read-only when it cannot write the file; say so now, not at the first append.
  if (!options.read_only && sqlite3_db_readonly(db->writer_->handle(), "main") == 1)
    throw EngineError(EngineError::Kind::Storage, "sqlite store '" + path +
                                                      "': the file or its directory is read-only; "
                                                      "open it with read_only = true to read it");
  db->schema_version_ = migrate(*db->writer_, options.read_only);
  if (!options.read_only) db->writer_->use_wal();  // after the schema: see Connection
  return db;
}

void Database::require_writable() const {
  if (options_.read_only)
    throw EngineError(EngineError::Kind::Storage,
                      "sqlite store '" + path_ + "': opened read-only; writes are not allowed");
}

void Database::throw_closed() const {
  throw EngineError::invalid_input("sqlite store '" + path_ + "': the store is closed; open the file again to use it");
}

void Database::close() {
  if (owns_unit())
    throw EngineError::invalid_input("sqlite store '" + path_ +
                                     "': close inside a unit of work; commit or roll it back first");
  std::lock_guard lock(writer_mutex_);  // another thread's write or unit finishes first
  if (closed_.exchange(true, std::memory_order_acq_rel)) return;
  {
    std::lock_guard pool(pool_mutex_);
    idle_readers_.clear();
  }
  if (!writer_) return;
  if (!in_memory_ && !options_.read_only) {
    // Everything in the WAL goes into the database file, and the WAL is cut to zero bytes. A reader
    // in another process can keep part of it from being copied back (SQLITE_BUSY after the busy
    // timeout): then the last connection to close, there, checkpoints it.
    sqlite3_wal_checkpoint_v2(writer_->handle(), nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
  }
  writer_.reset();  // the last connection of this process: SQLite removes the -wal if no one else has the file open
}

Database::~Database() {
  try {
    close();
  } catch (...) {  // a destructor must not throw; closing the connections is all that is left
  }
}

void Database::require_unit_transaction() const {
  // SQLite rolls a transaction back on its own after a full disk or an I/O error: the unit's
  // earlier writes are gone, and writing on would commit each later write on its own.
  if (!writer_->in_transaction())
    throw EngineError(EngineError::Kind::Storage, "sqlite store '" + path_ +
                                                      "': the unit of work was rolled back by SQLite "
                                                      "after an earlier error; end it and start a new one");
  if (writer_->units.broken_at > 0)
    throw EngineError(EngineError::Kind::Storage,
                      "sqlite store '" + path_ +
                          "': this unit of work is rollback-only (a write in it "
                          "failed halfway, or a unit joined to it rolled back after writing); end it "
                          "without commit (roll it back) and start a new one");
}

void Database::run_on_writer(const char* sql) {
  // Through the connection's prepared statements: a pump round opens several units, and compiling
  // the SQL each time cost more than the savepoints themselves.
  StatementScope scope(writer_->statement(sql));
  scope->run();
}

// The outermost unit holds the writer mutex and an open BEGIN IMMEDIATE transaction. A nested unit
// is a savepoint, taken when the first write inside it comes, or joins the unit around it
// (UnitNesting, Connection::Units). A rollback discards the writer's stream cache, which may
// describe rows that no longer exist.
class Database::Unit final : public WorkUnit {
 public:
  using Kind = Connection::Units::Kind;

  Unit(Database& db, UnitNesting nesting) : db_(db), nested_(db.owns_unit()) {
    auto& units = db_.writer_->units;
    if (nested_) {
      db_.require_unit_transaction();
      const Kind kind = nesting == UnitNesting::Join ? Kind::Join : Kind::Savepoint;
      units.open.push_back({kind, false, sqlite3_total_changes64(db_.writer_->handle())});
      return;
    }
    lock_ = std::unique_lock(db_.writer_mutex_);
    db_.run_on_writer("BEGIN IMMEDIATE");
    units = {};
    units.open.push_back({Kind::Transaction, true, 0});
    db_.unit_owner_.store(std::this_thread::get_id(), std::memory_order_relaxed);
  }

  ~Unit() override {
    if (done_) return;
    auto& units = db_.writer_->units;
    const std::size_t depth = units.depth();
    const auto unit = units.open.back();
    units.open.pop_back();
    if (unit.kind == Kind::Join) {
      // Its writes stay in the unit holding them until that one rolls back too.
      if (units.broken_at == 0 && sqlite3_total_changes64(db_.writer_->handle()) != unit.changes_at_begin)
        units.broken_at = units.holder();
      return;
    }
    if (units.broken_at >= depth) units.broken_at = 0;  // what broke it goes with this rollback
    if (db_.writer_->in_transaction()) {
      if (unit.kind == Kind::Transaction) {
        sqlite3_exec(db_.writer_->handle(), "ROLLBACK", nullptr, nullptr, nullptr);
      } else if (unit.taken) {
        sqlite3_exec(db_.writer_->handle(), "ROLLBACK TO unit; RELEASE unit", nullptr, nullptr, nullptr);
      }
    }
    db_.writer_->commit_cache.reset();
    if (!nested_) db_.unit_owner_.store(std::thread::id{}, std::memory_order_relaxed);
  }

  void commit() override {
    if (done_) throw EngineError::invalid_input("unit of work committed twice");
    db_.require_unit_transaction();  // also refuses a unit holding a half-done or rolled-back write
    auto& units = db_.writer_->units;
    const auto unit = units.open.back();
    if (unit.kind == Kind::Transaction) db_.run_on_writer("COMMIT");
    else if (unit.kind == Kind::Savepoint && unit.taken) db_.run_on_writer("RELEASE unit");
    units.open.pop_back();
    done_ = true;
    if (nested_) return;
    db_.unit_owner_.store(std::thread::id{}, std::memory_order_relaxed);
    lock_.unlock();  // the writer is free from the commit on, not only once the unit object is gone
  }

 private:
  Database& db_;
  bool nested_;
  bool done_ = false;
  std::unique_lock<std::mutex> lock_;
};

std::unique_ptr<WorkUnit> Database::begin_unit(UnitNesting nesting) {
  require_open();
  // A read-only store writes nothing: its unit has nothing to group.
  if (options_.read_only) return std::make_unique<ImmediateWorkUnit>();
  return std::make_unique<Unit>(*this, nesting);
}

Database::Lease::Lease(const Database& d) : db(d) {
  {
    std::lock_guard lock(db.pool_mutex_);
    if (!db.idle_readers_.empty()) {
      connection = std::move(db.idle_readers_.back());
      db.idle_readers_.pop_back();
    }
  }
  if (!connection) connection = std::make_unique<Connection>(db.path_, db.options_, Connection::Role::Reader);
}

Database::Lease::~Lease() {
  // A connection left inside a transaction (an exception mid-read) is not reused.
  if (connection->in_transaction()) return;
  std::lock_guard lock(db.pool_mutex_);
  if (db.closed()) return;  // closed while this read ran: the connection closes with the lease
  if (db.idle_readers_.size() < kMaxIdleReaders) db.idle_readers_.push_back(std::move(connection));
}

}  // namespace mako::sqlite::detail
