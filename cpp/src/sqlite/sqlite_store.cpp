#include "mako/sqlite/sqlite_store.hpp"

#include <limits>
#include <optional>
#include <unordered_map>

#include "commit_writer.hpp"
#include "database.hpp"
#include "event_rows.hpp"
#include "mako/sqlite/sqlite_checkpoint_store.hpp"
#include "mako/sqlite/sqlite_dead_letter_sink.hpp"
#include "mako/sqlite/sqlite_deadline_store.hpp"
#include "mako/sqlite/sqlite_inbox_store.hpp"
#include "mako/sqlite/sqlite_outbox_store.hpp"
#include "mako/sqlite/sqlite_process_registry.hpp"
#include "mako/sqlite/sqlite_snapshot_store.hpp"
#include "transaction.hpp"

namespace mako::sqlite {

using detail::Connection;
using detail::EventDecoder;
using detail::ReadTransaction;
using detail::StatementScope;
using detail::StreamRow;

namespace {

constexpr const char* kStreamById = "SELECT " MAKO_STREAM_COLUMNS " FROM streams WHERE stream_id = ?1";
constexpr const char* kStreamByKey = "SELECT " MAKO_STREAM_COLUMNS " FROM streams WHERE stream_key = ?1";
constexpr const char* kStreamVersion = "SELECT version FROM streams WHERE stream_id = ?1";
constexpr const char* kEventsOfStream =
    "SELECT " MAKO_EVENT_COLUMNS " FROM events WHERE stream_key = ?1 AND sequence > ?2 ORDER BY sequence";
constexpr const char* kEventsAfter =
    "SELECT " MAKO_EVENT_COLUMNS ", stream_key FROM events WHERE position > ?1 ORDER BY position LIMIT ?2";
constexpr const char* kHead = "SELECT coalesce(max(position), 0) FROM events";
constexpr const char* kStreamsFrom = "SELECT stream_id FROM streams WHERE stream_id >= ?1 ORDER BY stream_id LIMIT ?2";
constexpr const char* kStreamsAfter = "SELECT stream_id FROM streams WHERE stream_id > ?1 ORDER BY stream_id LIMIT ?2";

std::int64_t clamp(std::uint64_t v) {
  return v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())
             ? std::numeric_limits<std::int64_t>::max()
             : static_cast<std::int64_t>(v);
}

std::optional<StreamRow> find_stream(Connection& c, const char* sql, auto key) {
  StatementScope s(c.statement(sql));
  s->bind(1, key);
  if (!s->step()) return std::nullopt;
  return StreamRow::read(*s, c.path());
}

}  // namespace

SqliteStore::SqliteStore(std::shared_ptr<detail::Database> db) : db_(std::move(db)) {}
SqliteStore::~SqliteStore() = default;

std::shared_ptr<SqliteStore> SqliteStore::open(const std::string& path, SqliteOptions options) {
  return std::make_shared<SqliteStore>(detail::Database::open(path, options));
}

std::shared_ptr<mako::SnapshotStore> SqliteStore::snapshots() { return std::make_shared<SqliteSnapshotStore>(db_); }
std::shared_ptr<mako::OutboxStore> SqliteStore::outbox() { return std::make_shared<SqliteOutboxStore>(db_); }
std::shared_ptr<mako::DeadlineStore> SqliteStore::deadlines() { return std::make_shared<SqliteDeadlineStore>(db_); }
std::shared_ptr<mako::ProcessRegistry> SqliteStore::registry() { return std::make_shared<SqliteProcessRegistry>(db_); }
std::shared_ptr<mako::InboxStore> SqliteStore::inbox() { return std::make_shared<SqliteInboxStore>(db_); }
std::shared_ptr<mako::DeadLetterSink> SqliteStore::dead_letters() {
  return std::make_shared<SqliteDeadLetterSink>(db_);
}
std::shared_ptr<mako::CheckpointStore> SqliteStore::checkpoints() {
  return std::make_shared<SqliteCheckpointStore>(db_);
}
mako::RuntimeStores SqliteStore::runtime_stores() {
  return {outbox(), deadlines(), registry(), inbox(), dead_letters(), checkpoints()};
}
Durability SqliteStore::durability() const { return db_->durability(); }
const std::string& SqliteStore::path() const { return db_->path(); }
int SqliteStore::schema_version() const { return db_->schema_version(); }

std::string SqliteStore::integrity_check() const {
  return db_->read([](Connection& c) {
    std::string out;
    StatementScope s(c.statement("PRAGMA integrity_check"));
    while (s->step()) {
      if (!out.empty()) out += '\n';
      out += s->text(0);
    }
    return out;
  });
}

std::uint64_t SqliteStore::append(CommitBatch& batch) {
  return db_->write([&](Connection& c) {
    // CommitWriter checks everything that can refuse the batch before its first write: inside a
    // unit of work, no savepoint is needed (a failure after the first write breaks the unit).
    detail::WriteTransaction tx(c, detail::WriteTransaction::Nested::Guard);
    detail::CommitWriter writer(c);
    auto version = writer.write(batch);
    writer.flush();
    tx.commit();
    writer.committed();
    return version;
  });
}

std::unique_ptr<WorkUnit> SqliteStore::begin_work_unit(UnitNesting nesting) { return db_->begin_unit(nesting); }
void SqliteStore::close() { db_->close(); }
bool SqliteStore::closed() const { return db_->closed(); }

std::vector<std::optional<EngineError>> SqliteStore::append_many(std::vector<CommitBatch>& batches) {
  std::vector<std::optional<EngineError>> results(batches.size());
  if (batches.empty()) return results;
  // CommitWriter checks a batch completely before writing any of it, so a refused batch (version
  // conflict, invalid content) leaves nothing to roll back, and the batches run without savepoints
  // (a savepoint copies every page a batch touches into the statement journal). Only a failure in
  // the middle of a batch's writes (a value too big for SQLite) needs one: then the transaction is
  // rolled back and run again with a savepoint per batch.
  for (const bool savepoints : {false, true}) {
    try {
      const bool redo = db_->write([&](Connection& c) {
        detail::WriteTransaction tx(c);
        detail::CommitWriter writer(c);
        for (std::size_t i = 0; i < batches.size(); ++i) {
          std::optional<detail::Savepoint> savepoint;
          if (savepoints) savepoint.emplace(c);
          try {
            writer.write(batches[i]);
            if (savepoint) savepoint->release();
          } catch (const EngineError& e) {
            if (e.is_store_failure())
              throw;  // the whole transaction is gone (SQLite rolls back after a full disk or I/O error)
            if (!savepoint && writer.started()) return true;  // partly written: roll everything back, redo
            results[i] = e;                                   // nothing of it written (or rolled back to its savepoint)
          }
        }
        writer.flush();
        tx.commit();
        writer.committed();
        return false;
      });
      if (!redo) return results;
      for (auto& r : results) r.reset();
    } catch (const EngineError& e) {
      for (auto& r : results) r = e;  // no transaction, or it rolled back: nothing of any batch was written
      return results;
    }
  }
  return results;
}

std::uint64_t SqliteStore::fold_stream(const StreamId& stream, std::uint64_t after_sequence,
                                       const EventVisitor& visit) const {
  return db_->read([&](Connection& c) -> std::uint64_t {
    // Inside a unit of work the writer knows the streams it appended to: a cached process checking
    // for news before a command costs no query when there are none.
    if (const auto known = detail::cached_stream_version(c, stream.str()); known && *known <= after_sequence) return 0;
    ReadTransaction tx(c);  // stream row and events from one snapshot
    auto row = find_stream(c, kStreamById, std::string_view(stream.str()));
    if (!row || row->version <= after_sequence) return 0;
    EventDecoder decoder(c.path());
    decoder.set_stream(*row);
    StatementScope s(c.statement(kEventsOfStream));
    s->bind(1, row->key);
    s->bind(2, clamp(after_sequence));
    std::uint64_t visited = 0;
    // Rows are decoded and visited one at a time: constant memory, whatever the stream's length.
    while (s->step()) {
      visit(decoder.decode(*s));
      ++visited;
    }
    return visited;
  });
}

std::vector<EventEnvelope> SqliteStore::load_from(const StreamId& stream, std::uint64_t after_sequence) const {
  std::vector<EventEnvelope> out;
  fold_stream(stream, after_sequence, [&](const EventEnvelope& e) { out.push_back(e); });
  return out;
}

std::uint64_t SqliteStore::stream_version(const StreamId& stream) const {
  return db_->read([&](Connection& c) -> std::uint64_t {
    StatementScope s(c.statement(kStreamVersion));
    s->bind(1, std::string_view(stream.str()));
    return s->step() ? static_cast<std::uint64_t>(s->int64(0)) : 0;
  });
}

StreamPage SqliteStore::list_streams(const std::string& prefix, const std::optional<std::string>& after,
                                     std::size_t limit) const {
  if (limit == 0) return {};
  return db_->read([&](Connection& c) {
    StreamPageBuilder page(prefix, after, limit);
    StatementScope s(c.statement(page.from_cursor() ? kStreamsAfter : kStreamsFrom));
    s->bind(1, std::string_view(page.start()));
    s->bind(2, clamp(page.read_limit()));
    while (s->step() && page.add(s->text(0))) {}
    return page.take();
  });
}

std::vector<EventEnvelope> SqliteStore::read_all(std::uint64_t after_position, std::size_t limit) const {
  std::vector<EventEnvelope> out;
  if (limit == 0) return out;
  db_->read([&](Connection& c) {
    ReadTransaction tx(c);
    std::unordered_map<std::int64_t, StreamRow> streams;
    EventDecoder decoder(c.path(), EventDecoder::Payload::Lazy);  // envelopes are copied out: parse on demand
    StatementScope s(c.statement(kEventsAfter));
    s->bind(1, clamp(after_position));
    s->bind(2, clamp(limit));
    while (s->step()) {
      const std::int64_t key = s->int64(14);
      auto it = streams.find(key);
      if (it == streams.end()) {
        auto row = find_stream(c, kStreamByKey, key);
        if (!row)
          throw EngineError(EngineError::Kind::Corrupt, "sqlite store '" + c.path() + "': event stream_key " +
                                                            std::to_string(key) + " has no row in streams");
        it = streams.emplace(key, std::move(*row)).first;
      }
      decoder.set_stream(it->second);
      out.push_back(decoder.decode(*s));
    }
  });
  return out;
}

std::uint64_t SqliteStore::head_position() const {
  return db_->read([](Connection& c) -> std::uint64_t {
    StatementScope s(c.statement(kHead));
    return s->step() ? static_cast<std::uint64_t>(s->int64(0)) : 0;
  });
}

}  // namespace mako::sqlite
