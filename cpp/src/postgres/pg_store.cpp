#include "mako/postgres/pg_store.hpp"

#include <limits>

#include "commit_writer.hpp"
#include "database.hpp"
#include "event_rows.hpp"
#include "mako/postgres/pg_checkpoint_store.hpp"
#include "mako/postgres/pg_dead_letter_sink.hpp"
#include "mako/postgres/pg_deadline_store.hpp"
#include "mako/postgres/pg_inbox_store.hpp"
#include "mako/postgres/pg_outbox_store.hpp"
#include "mako/postgres/pg_process_registry.hpp"
#include "mako/postgres/pg_snapshot_store.hpp"

namespace mako::postgres {

using detail::Connection;
using detail::Params;

namespace {

constexpr const char* kStreamVersion = "SELECT version FROM streams WHERE stream_id = $1";
constexpr const char* kEventsOfStream = "SELECT " MAKO_PG_EVENT_COLUMNS MAKO_PG_EVENTS_FROM
                                        "WHERE s.stream_id = $1 AND e.sequence > $2 ORDER BY e.sequence LIMIT $3";
// Global order without holes (commit_writer.hpp): a read of the log goes up to log_horizon(),
// computed by a statement of its own before it, so that the read's snapshot is taken after it.
constexpr const char* kSetHorizon = "SELECT set_config('mako.horizon', log_horizon()::text, false)";
constexpr const char* kEventsAfter = "SELECT " MAKO_PG_EVENT_COLUMNS MAKO_PG_EVENTS_FROM
                                     "WHERE e.position > $1 AND e.position <= current_setting('mako.horizon')::bigint "
                                     "ORDER BY e.position LIMIT $2";
constexpr const char* kHead =
    "SELECT coalesce(max(position), 0) FROM events WHERE position <= current_setting('mako.horizon')::bigint";
constexpr const char* kStreamsFrom = "SELECT stream_id FROM streams WHERE stream_id >= $1 ORDER BY stream_id LIMIT $2";
constexpr const char* kStreamsAfter = "SELECT stream_id FROM streams WHERE stream_id > $1 ORDER BY stream_id LIMIT $2";
// Events per page of fold_stream: memory stays bounded whatever the stream's length.
constexpr std::int64_t kFoldPage = 1000;

std::int64_t clamp(std::uint64_t v) {
  return v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())
             ? std::numeric_limits<std::int64_t>::max()
             : static_cast<std::int64_t>(v);
}

// append_many's first pass met a batch that failed after writing: run again with a savepoint per batch.
struct Redo {};

}  // namespace

PgStore::PgStore(std::shared_ptr<detail::Database> db) : db_(std::move(db)) {}
PgStore::~PgStore() = default;

std::shared_ptr<PgStore> PgStore::open(const std::string& conninfo, PgOptions options) {
  return std::make_shared<PgStore>(detail::Database::open(conninfo, options));
}

std::shared_ptr<mako::SnapshotStore> PgStore::snapshots() { return std::make_shared<PgSnapshotStore>(db_); }
std::shared_ptr<mako::OutboxStore> PgStore::outbox() { return std::make_shared<PgOutboxStore>(db_); }
std::shared_ptr<mako::DeadlineStore> PgStore::deadlines() { return std::make_shared<PgDeadlineStore>(db_); }
std::shared_ptr<mako::ProcessRegistry> PgStore::registry() { return std::make_shared<PgProcessRegistry>(db_); }
std::shared_ptr<mako::InboxStore> PgStore::inbox() { return std::make_shared<PgInboxStore>(db_); }
std::shared_ptr<mako::DeadLetterSink> PgStore::dead_letters() { return std::make_shared<PgDeadLetterSink>(db_); }
std::shared_ptr<mako::CheckpointStore> PgStore::checkpoints() { return std::make_shared<PgCheckpointStore>(db_); }
mako::RuntimeStores PgStore::runtime_stores() {
  return {outbox(), deadlines(), registry(), inbox(), dead_letters(), checkpoints()};
}
int PgStore::schema_version() const { return db_->schema_version(); }
const std::string& PgStore::label() const { return db_->label(); }
std::unique_ptr<WorkUnit> PgStore::begin_work_unit(UnitNesting nesting) { return db_->begin_unit(nesting); }
void PgStore::close() { db_->close(); }
bool PgStore::closed() const { return db_->closed(); }

std::uint64_t PgStore::append(CommitBatch& batch) {
  return db_->write([&](Connection& c) {
    detail::CommitWriter writer(c, db_->append_lock_key());
    return writer.write(batch);
  });
}

std::vector<std::optional<EngineError>> PgStore::append_many(std::vector<CommitBatch>& batches) {
  std::vector<std::optional<EngineError>> results(batches.size());
  if (batches.empty()) return results;
  // CommitWriter checks a batch completely before writing any of it, so a refused batch (version
  // conflict, invalid content) leaves nothing to roll back and needs no savepoint. Only a batch
  // that fails halfway (a value PostgreSQL refuses) does: then the transaction is rolled back and
  // run again with a SAVEPOINT per batch.
  for (const bool savepoints : {false, true}) {
    try {
      db_->write(
          [&](Connection& c) {
            detail::CommitWriter writer(c, db_->append_lock_key());
            if (!savepoints && detail::CommitWriter::events_only(batches)) {
              // One pass for all batches: refusals land in their slots; a failure of the writes
              // themselves is redone batch by batch below, to find the batch it belongs to.
              try {
                writer.write_many(batches, results);
                c.flush();
              } catch (const EngineError&) {
                if (c.lost()) throw;
                throw Redo{};
              }
              return;
            }
            for (std::size_t i = 0; i < batches.size(); ++i) {
              if (savepoints) c.exec("SAVEPOINT mako_batch");
              try {
                writer.write(batches[i]);
                if (savepoints) c.exec("RELEASE SAVEPOINT mako_batch");
              } catch (const EngineError& e) {
                if (c.lost()) throw;  // nothing of the transaction is left: every slot reports it
                if (!writer.started() && !c.in_failed_transaction()) {
                  results[i] = e;  // refused before its first write: nothing to undo
                  if (savepoints) c.exec("RELEASE SAVEPOINT mako_batch");
                  continue;
                }
                if (!savepoints) throw Redo{};
                c.exec("ROLLBACK TO SAVEPOINT mako_batch; RELEASE SAVEPOINT mako_batch");
                results[i] = e;
              }
            }
            try {
              c.flush();  // the last batch's queued writes: a failure of theirs is that batch's
            } catch (const EngineError&) {
              if (c.lost() || savepoints) throw;
              throw Redo{};
            }
          },
          detail::Database::Nested::Savepoint);
      return results;
    } catch (const Redo&) {
      for (auto& r : results) r.reset();
    } catch (const EngineError& e) {
      for (auto& r : results) r = e;  // no transaction, or it rolled back: nothing of any batch was written
      return results;
    }
  }
  return results;
}

std::uint64_t PgStore::fold_stream(const StreamId& stream, std::uint64_t after_sequence,
                                   const EventVisitor& visit) const {
  return db_->read([&](Connection& c) -> std::uint64_t {
    std::uint64_t visited = 0;
    detail::EventDecoder decoder(c.label());
    Params params;
    const auto page_after = [&](std::uint64_t after) -> const Params& {
      params.clear();
      params.text(stream.str()).int64(clamp(after)).int64(kFoldPage);
      return params;
    };
    // A connection of the pool is this call's alone: the next page is requested before this one is
    // decoded, so the server reads it meanwhile. A unit's connection is not (`visit` may use the
    // store inside the unit), so there each page is read in turn.
    const bool ahead = c.units.depth() == 0;
    auto r = c.exec(kEventsOfStream, page_after(after_sequence), detail::ResultFormat::Binary);
    for (;;) {
      const bool full = r.rows() == kFoldPage;
      std::uint64_t last = 0;
      if (full) last = static_cast<std::uint64_t>(r.binary_int64(r.rows() - 1, 1, c.label()));  // its sequence
      if (full && ahead) c.send(kEventsOfStream, page_after(last), detail::ResultFormat::Binary);
      try {
        for (int row = 0; row < r.rows(); ++row) {
          visit(decoder.decode(r, row));
          ++visited;
        }
      } catch (...) {
        c.drain_quietly();
        throw;
      }
      if (!full) return visited;
      r = ahead ? c.receive() : c.exec(kEventsOfStream, page_after(last), detail::ResultFormat::Binary);
    }
  });
}

std::vector<EventEnvelope> PgStore::load_from(const StreamId& stream, std::uint64_t after_sequence) const {
  std::vector<EventEnvelope> out;
  fold_stream(stream, after_sequence, [&](const EventEnvelope& e) { out.push_back(e); });
  return out;
}

std::uint64_t PgStore::stream_version(const StreamId& stream) const {
  return db_->read([&](Connection& c) -> std::uint64_t {
    Params params;
    params.text(stream.str());
    const auto r = c.exec(kStreamVersion, params);
    return r.rows() ? static_cast<std::uint64_t>(r.int64(0, 0, c.label())) : 0;
  });
}

StreamPage PgStore::list_streams(const std::string& prefix, const std::optional<std::string>& after,
                                 std::size_t limit) const {
  if (limit == 0) return {};
  return db_->read([&](Connection& c) {
    StreamPageBuilder page(prefix, after, limit);
    Params params;
    params.text(page.start(), "the stream prefix").int64(clamp(page.read_limit()));
    const auto r = c.exec(page.from_cursor() ? kStreamsAfter : kStreamsFrom, params);
    for (int row = 0; row < r.rows() && page.add(r.text(row, 0)); ++row) {}
    return page.take();
  });
}

std::vector<EventEnvelope> PgStore::read_all(std::uint64_t after_position, std::size_t limit) const {
  std::vector<EventEnvelope> out;
  if (limit == 0) return out;
  db_->read([&](Connection& c) {
    Params params;
    params.int64(clamp(after_position)).int64(clamp(limit));
    c.queue(kSetHorizon);  // sent with the read, in one round trip
    const auto r = c.exec(kEventsAfter, params, detail::ResultFormat::Binary);
    out.reserve(static_cast<std::size_t>(r.rows()));
    detail::EventDecoder decoder(c.label());
    for (int row = 0; row < r.rows(); ++row) out.push_back(decoder.decode(r, row));
  });
  return out;
}

std::uint64_t PgStore::head_position() const {
  return db_->read([](Connection& c) -> std::uint64_t {
    c.queue(kSetHorizon);
    return static_cast<std::uint64_t>(c.exec(kHead, Params{}).int64(0, 0, c.label()));
  });
}

}  // namespace mako::postgres
