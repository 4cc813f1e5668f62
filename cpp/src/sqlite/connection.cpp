#include "connection.hpp"

#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <system_error>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>

#include "sqlite_error.hpp"

namespace mako::sqlite::detail {

namespace {
bool is_memory_path(const std::string& path) { return path == ":memory:"; }

std::uintmax_t size_or_zero(const std::filesystem::path& p) {
  std::error_code ec;
  const auto n = std::filesystem::file_size(p, ec);
  return ec ? 0 : n;
}

// A read-only connection to a WAL database needs its -shm file, which SQLite creates next to the
// database. On read-only media (a read-only mount, a directory without write permission) it cannot:
// SQLite then opens nothing ("unable to open database file"). When no other process has the file
// open (no -shm) and every commit is in the database file (no -wal, or an empty one: closed
// cleanly), the file cannot change under us and is opened as immutable: no locks, no -shm.
// Returns the URI to open it with, or "" to open it as usual. A -wal with commits that cannot be
// read without a -shm is reported, not silently skipped.
std::string read_only_media_uri(const std::string& path) {
  namespace fs = std::filesystem;
  const fs::path file = fs::absolute(fs::path(path)).lexically_normal();
  const fs::path dir = file.parent_path();
  if (::access(dir.c_str(), W_OK) == 0) return "";  // SQLite can create the -shm
  std::error_code ec;
  if (fs::exists(path + "-shm", ec)) return "";  // another process has it open, or left it behind: SQLite decides
  if (size_or_zero(path + "-wal") > 0)
    throw EngineError(
        EngineError::Kind::Storage,
        "sqlite store '" + path +
            "': the database lies in a read-only directory and its -wal file holds commits "
            "that are not in the database file yet (the engine that wrote it did not close it); SQLite cannot read "
            "them without creating a -shm file there. Copy the database together with its -wal to a writable "
            "directory and open it there (or close the engine before archiving the file)");
  std::string uri = "file:";
  for (const char ch : file.string()) {
    if (ch == '%' || ch == '?' || ch == '#') {
      static const char* hex = "0123456789ABCDEF";
      uri += '%';
      uri += hex[static_cast<unsigned char>(ch) >> 4];
      uri += hex[static_cast<unsigned char>(ch) & 0xF];
    } else {
      uri += ch;
    }
  }
  return uri + "?immutable=1";
}

bool directory_writable(const std::string& path) {
  const auto dir = std::filesystem::absolute(std::filesystem::path(path)).lexically_normal().parent_path();
  return ::access(dir.c_str(), W_OK) == 0;
}

EngineError read_only_refusal(const std::string& path) {
  return {
      EngineError::Kind::Storage,
      "sqlite store '" + path + "': the file or its directory is read-only; open it with read_only = true to read it"};
}

const char* synchronous_for(Durability d) {
  switch (d) {
    case Durability::Durable: return "FULL";
    case Durability::Relaxed: return "NORMAL";
    case Durability::Memory: return "OFF";
  }
  return "FULL";
}
}  // namespace

Connection::Connection(const std::string& path, const SqliteOptions& options, Role role) : path_(path) {
  const bool read_only = options.read_only || role == Role::Reader;
  int flags = read_only ? SQLite::OPEN_READONLY : (SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  flags |= SQLite::OPEN_NOMUTEX;  // one thread at a time, guaranteed by Database
  const std::string uri = read_only && !is_memory_path(path) ? read_only_media_uri(path) : std::string();
  if (!uri.empty()) flags |= SQLite::OPEN_URI;
  try {
    db_ = std::make_unique<SQLite::Database>(uri.empty() ? path : uri, flags,
                                             static_cast<int>(options.busy_timeout.count()));
  } catch (const SQLite::Exception& e) {
    throw sqlite_error(e.getExtendedErrorCode() > 0 ? e.getExtendedErrorCode() : SQLITE_CANTOPEN, path_, "opening",
                       e.what());
  }
  sqlite3_extended_result_codes(db_->getHandle(), 1);
  // SQLite silently falls back to read-only when it cannot write the file, and a writer whose
  // directory is read-only cannot create the -wal and -shm: say so now, not as "unable to open"
  // at the first statement or at the first append.
  if (!read_only && !is_memory_path(path_) &&
      (sqlite3_db_readonly(db_->getHandle(), "main") == 1 || !directory_writable(path_)))
    throw read_only_refusal(path_);
  // Readers map the file: replay reads pages without copying them through the page cache. The
  // writer does not: with a map in WAL mode, SQLite searches the WAL index for every page fetch
  // before its cache, and the writer's many small statements fetch mostly cached pages.
  if (role == Role::Reader || read_only) exec("PRAGMA mmap_size = 268435456");
  exec("PRAGMA cache_size = -16384");  // 16 MiB
  exec("PRAGMA temp_store = MEMORY");
  if (role == Role::Writer && !read_only) {
    // A file that already holds the schema goes to WAL now; a new one only after its schema is
    // committed (Database::open calls use_wal after migrate), so that a file in WAL mode always
    // holds the schema itself: a shell (WAL mode, no schema) is then never an engine's own
    // creation in progress or cut short, only a copy made without its -wal, and can be refused.
    if (query_int("PRAGMA user_version") > 0) use_wal();
    exec(std::string("PRAGMA synchronous = ") + synchronous_for(options.durability));
    if (options.max_pages > 0) query_int("PRAGMA max_page_count = " + std::to_string(options.max_pages));
  }
}

void Connection::use_wal() {
  if (is_memory_path(path_) || wal_) return;
  // WAL: readers see a consistent snapshot and never block the single writer; one fsync per
  // commit (of the WAL) in durable mode. The mode is persistent in the file.
  try {
    SQLite::Statement mode(*db_, "PRAGMA journal_mode = WAL");
    if (!mode.executeStep() || mode.getColumn(0).getString() != "wal")
      throw sqlite_error(SQLITE_CANTOPEN, path_, "switching to WAL", "journal_mode is not wal");
  } catch (const SQLite::Exception& e) {
    throw sqlite_error(e.getExtendedErrorCode(), path_, "switching to WAL", e.what());
  }
  // Checkpoint after 4,096 WAL pages (16 MiB at 4 KiB pages) rather than SQLite's 1,000: a commit
  // touching many streams dirties one index page per stream (1,000 streams: ~1,000 pages), and a
  // checkpoint after every such commit (copying each page back, two fsyncs) cost more than the
  // commit itself; a checkpoint writes each page once however often the WAL holds it. Not more:
  // readers map the checkpointed file but copy pages still in the WAL (replay from a WAL-only
  // file is ~13% slower).
  exec("PRAGMA wal_autocheckpoint = 4096");
  wal_ = true;
}

Connection::~Connection() {
  statements_.clear();  // finalize before the connection closes
}

sqlite3* Connection::handle() const { return db_->getHandle(); }

Statement& Connection::statement(const char* sql) {
  auto& slot = statements_[sql];
  if (!slot) slot = std::make_unique<Statement>(handle(), sql, path_, this);
  return *slot;
}

void Connection::take_pending_savepoints() {
  for (auto& unit : units.open) {
    if (unit.kind != Units::Kind::Savepoint || unit.taken) continue;
    StatementScope s(statement("SAVEPOINT unit"));
    s->run();
    unit.taken = true;
  }
}

// Pragmas, DDL and one-off queries go through SQLiteCpp; the store's hot statements are prepared
// on the C API (statement.hpp says why).
void Connection::exec(const std::string& sql) {
  try {
    db_->exec(sql);
  } catch (const SQLite::Exception& e) {
    throw sqlite_error(e.getExtendedErrorCode(), path_, "executing '" + sql.substr(0, 60) + "'", e.what());
  }
}

std::int64_t Connection::query_int(const std::string& sql) {
  try {
    SQLite::Statement s(*db_, sql);
    return s.executeStep() ? s.getColumn(0).getInt64() : 0;
  } catch (const SQLite::Exception& e) {
    throw sqlite_error(e.getExtendedErrorCode(), path_, "executing '" + sql.substr(0, 60) + "'", e.what());
  }
}

bool Connection::in_transaction() const { return sqlite3_get_autocommit(handle()) == 0; }

}  // namespace mako::sqlite::detail
