#include "mako/postgres/pg_outbox_store.hpp"

#include "database.hpp"
#include "service_rows.hpp"

namespace mako::postgres {

using detail::Connection;
using detail::Params;

namespace {

// The columns read_item expects, from an outbox row `o` joined with `streams s`. enqueued_at is the
// time of the commit's last event (the engine clock, which tests and simulations inject); a commit
// without events falls back to the row's wall-clock creation time.
#define MAKO_PG_OUTBOX_COLUMNS                                                                       \
  "o.idempotency_key, o.step, o.recipient, o.message_type, o.payload, o.attempts, "                  \
  "coalesce((SELECT e.timestamp_ns FROM events e WHERE e.position = o.position), o.created_at_ns), " \
  "o.next_attempt_ns, o.status, o.last_error, coalesce(o.delivered_at_ns, o.dead_at_ns), " MAKO_PG_IDENTITY_COLUMNS

// Work shared by instances: the due rows are locked FOR UPDATE SKIP LOCKED -- a row another worker
// is leasing right now is passed over, never waited for -- and leased (next_attempt_ns = now +
// lease) in the same statement, so its commit makes them invisible to every other worker until the
// lease runs out. A worker that dies before its commit leased nothing (the transaction rolls back);
// one that dies after it leaves the rows to the others once the lease has passed. Under READ
// COMMITTED a row leased by a transaction that committed meanwhile is re-checked against the WHERE
// clause after its lock is taken, so it is not claimed twice. The result carries the row as it was
// before the lease (next_attempt_ns: the old value), oldest first.
constexpr const char* kClaim =
    "WITH due AS (SELECT message_key, next_attempt_ns AS was FROM outbox "
    "WHERE status = 'pending' AND (next_attempt_ns IS NULL OR next_attempt_ns <= $1) "
    "ORDER BY message_key LIMIT $2 FOR UPDATE SKIP LOCKED), "
    "leased AS (UPDATE outbox SET next_attempt_ns = $3 FROM due WHERE outbox.message_key = due.message_key "
    "RETURNING outbox.message_key, outbox.idempotency_key, outbox.stream_key, outbox.position, outbox.step, "
    "outbox.recipient, outbox.message_type, outbox.payload, outbox.attempts, outbox.created_at_ns, "
    "due.was AS next_attempt_ns, outbox.status, outbox.last_error, outbox.delivered_at_ns, outbox.dead_at_ns) "
    "SELECT " MAKO_PG_OUTBOX_COLUMNS " FROM leased o JOIN streams s USING (stream_key) ORDER BY o.message_key";
constexpr const char* kDelivered =
    "UPDATE outbox SET status = 'delivered', attempts = attempts + 1, delivered_at_ns = $2 "
    "WHERE idempotency_key = $1 AND status = 'pending'";
constexpr const char* kFailed =
    "UPDATE outbox SET attempts = attempts + 1, last_error = $2, next_attempt_ns = $3 "
    "WHERE idempotency_key = $1 AND status = 'pending'";
constexpr const char* kDead =
    "UPDATE outbox SET status = 'dead', last_error = $2, dead_at_ns = $3 WHERE idempotency_key = $1 AND status = 'pending'";
constexpr const char* kDeadLetters = "SELECT " MAKO_PG_OUTBOX_COLUMNS
                                     " FROM outbox o JOIN streams s USING (stream_key) "
                                     "WHERE o.status = 'dead' ORDER BY o.message_key";
constexpr const char* kPendingCount = "SELECT count(*) FROM outbox WHERE status = 'pending'";
constexpr const char* kFind =
    "SELECT " MAKO_PG_OUTBOX_COLUMNS " FROM outbox o JOIN streams s USING (stream_key) WHERE o.idempotency_key = $1";

#undef MAKO_PG_OUTBOX_COLUMNS

OutboxStatus status_of(std::string_view text) {
  if (text == "delivered") return OutboxStatus::Delivered;
  if (text == "dead") return OutboxStatus::DeadLettered;
  return OutboxStatus::Pending;
}

OutboxItem read_item(const detail::Result& r, int row, const std::string& label) {
  OutboxItem item(std::string(r.text(row, 0)), detail::read_stream_id(r, row, 11, label));
  item.step = r.text(row, 1);
  item.recipient = r.text(row, 2);
  item.message_type = r.text(row, 3);
  item.payload = detail::parse_stored_json(r.text(row, 4), label, "payload of outbox message", item.idempotency_key);
  item.attempts = static_cast<std::uint32_t>(r.int64(row, 5, label));
  item.enqueued_at = detail::from_nanos(r.int64(row, 6, label));
  if (!r.null(row, 7)) item.next_attempt_at = detail::from_nanos(r.int64(row, 7, label));
  item.status = status_of(r.text(row, 8));
  if (!r.null(row, 9)) item.last_error = r.text(row, 9);
  if (!r.null(row, 10)) item.finished_at = detail::from_nanos(r.int64(row, 10, label));
  item.process = detail::read_identity(r, row, 11, label);
  return item;
}

std::vector<OutboxItem> read_items(const detail::Result& r, const std::string& label) {
  std::vector<OutboxItem> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int row = 0; row < r.rows(); ++row) out.push_back(read_item(r, row, label));
  return out;
}

}  // namespace

PgOutboxStore::PgOutboxStore(std::shared_ptr<detail::Database> db) : db_(std::move(db)) {}
PgOutboxStore::~PgOutboxStore() = default;

std::vector<OutboxItem> PgOutboxStore::claim_due(Timestamp now, std::size_t limit, std::chrono::nanoseconds lease) {
  if (limit == 0) return {};
  Params params;
  params.int64(detail::to_nanos(now)).int64(detail::clamp_limit(limit)).int64(detail::to_nanos(now + lease));
  return db_->write([&](Connection& c) { return read_items(c.exec(kClaim, params), c.label()); });
}

bool PgOutboxStore::mark_delivered(const std::string& key, Timestamp at) {
  Params params;
  params.text(key, "the idempotency key").int64(detail::to_nanos(at));
  return db_->write([&](Connection& c) { return c.exec(kDelivered, params).affected() == 1; });
}

bool PgOutboxStore::mark_failed(const std::string& key, const std::string& error, Timestamp next_attempt_at) {
  Params params;
  params.text(key, "the idempotency key").text(error, "the error").int64(detail::to_nanos(next_attempt_at));
  return db_->write([&](Connection& c) { return c.exec(kFailed, params).affected() == 1; });
}

bool PgOutboxStore::dead_letter(const std::string& key, const std::string& reason, Timestamp at) {
  Params params;
  params.text(key, "the idempotency key").text(reason, "the reason").int64(detail::to_nanos(at));
  return db_->write([&](Connection& c) { return c.exec(kDead, params).affected() == 1; });
}

std::vector<OutboxItem> PgOutboxStore::dead_letters() const {
  return db_->read([&](Connection& c) { return read_items(c.exec(kDeadLetters), c.label()); });
}

std::size_t PgOutboxStore::pending_count() const {
  return db_->read(
      [&](Connection& c) { return static_cast<std::size_t>(c.exec(kPendingCount).int64(0, 0, c.label())); });
}

std::optional<OutboxItem> PgOutboxStore::find(const std::string& key) const {
  Params params;
  params.text(key, "the idempotency key");
  return db_->read([&](Connection& c) -> std::optional<OutboxItem> {
    const auto r = c.exec(kFind, params);
    if (r.rows() == 0) return std::nullopt;
    return read_item(r, 0, c.label());
  });
}

}  // namespace mako::postgres
