#include "mako/postgres/pg_deadline_store.hpp"

#include "database.hpp"
#include "mako/core/errors.hpp"
#include "service_rows.hpp"

namespace mako::postgres {

using detail::Connection;
using detail::Params;

namespace {

#define MAKO_PG_DEADLINE_COLUMNS                                                                                                \
  "d.deadline_key, d.name, d.due_ns, d.command, d.status, d.fired_at_ns, d.outcome, d.created_at_ns, " MAKO_PG_IDENTITY_COLUMNS \
  " FROM deadlines d JOIN streams s USING (stream_key) "

// A plain read, no row lock: a lock taken here would make a concurrent claim() of the same row skip
// it although nobody claims it. claim() decides.
constexpr const char* kDue = "SELECT " MAKO_PG_DEADLINE_COLUMNS
                             "WHERE d.status = 'pending' AND d.due_ns <= $1 ORDER BY d.due_ns, d.deadline_key LIMIT $2";
constexpr const char* kNextDue = "SELECT min(due_ns) FROM deadlines WHERE status = 'pending'";
constexpr const char* kPending =
    "SELECT " MAKO_PG_DEADLINE_COLUMNS "WHERE d.status = 'pending' ORDER BY d.due_ns, d.deadline_key";
constexpr const char* kFind = "SELECT " MAKO_PG_DEADLINE_COLUMNS "WHERE s.stream_id = $1 AND d.name = $2";
// list(): one statement for every query (prepared once); a NULL list or bound admits everything.
constexpr const char* kList =
    "SELECT " MAKO_PG_DEADLINE_COLUMNS
    "WHERE ($1::uuid[] IS NULL OR s.tenant_id = ANY($1::uuid[])) "
    "AND ($2::text[] IS NULL OR s.workflow_name = ANY($2::text[])) "
    "AND ($3::uuid[] IS NULL OR s.process_id = ANY($3::uuid[])) AND ($4::text[] IS NULL OR d.name = ANY($4::text[])) "
    "AND ($5::bigint IS NULL OR d.due_ns >= $5::bigint) AND ($6::bigint IS NULL OR d.due_ns < $6::bigint) "
    "ORDER BY d.due_ns, d.deadline_key";
// The at-most-once gate, shared by instances: the row is locked FOR UPDATE SKIP LOCKED -- when
// another scheduler holds it (claiming it, or firing it in its unit of work) this claim loses at
// once instead of waiting -- and re-checked under the lock (under READ COMMITTED a claim committed
// meanwhile is seen there), so of any number of racing claimers exactly one changes it.
constexpr const char* kClaim =
    "UPDATE deadlines SET status = 'claimed', fired_at_ns = $2 WHERE deadline_key = "
    "(SELECT deadline_key FROM deadlines WHERE deadline_key = $1 AND status = 'pending' AND fired_at_ns IS NULL "
    "AND due_ns <= $2 FOR UPDATE SKIP LOCKED)";
constexpr const char* kMarkFired =
    "UPDATE deadlines SET status = $2, outcome = $3 WHERE deadline_key = $1 AND status = 'claimed'";
constexpr const char* kRelease =
    "UPDATE deadlines SET status = 'pending', fired_at_ns = NULL WHERE deadline_key = $1 AND status = 'claimed'";
constexpr const char* kCancel =
    "UPDATE deadlines SET status = 'cancelled' WHERE status = 'pending' AND name = $2 "
    "AND stream_key = (SELECT stream_key FROM streams WHERE stream_id = $1)";

#undef MAKO_PG_DEADLINE_COLUMNS

std::vector<DeadlineItem> read_items(const detail::Result& r, const std::string& label) {
  std::vector<DeadlineItem> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int row = 0; row < r.rows(); ++row) {
    DeadlineItem& item =
        out.emplace_back(r.int64(row, 0, label), detail::read_stream_id(r, row, 8, label), std::string(r.text(row, 1)));
    item.due = detail::from_nanos(r.int64(row, 2, label));
    item.command = detail::parse_stored_json(r.text(row, 3), label, "command of deadline", item.name);
    item.status = deadline_status_from_name(r.text(row, 4)).value_or(DeadlineStatus::Failed);
    if (!r.null(row, 5)) item.fired_at = detail::from_nanos(r.int64(row, 5, label));
    if (!r.null(row, 6)) item.outcome = r.text(row, 6);
    item.created_at = detail::from_nanos(r.int64(row, 7, label));
    item.process = detail::read_identity(r, row, 8, label);
  }
  return out;
}

// A list filter as an array parameter, NULL when empty (no filter).
template <class T, class Text>
void list_param(Params& params, const std::vector<T>& values, Text text, const char* what) {
  if (values.empty()) {
    params.null();
    return;
  }
  std::vector<std::string> texts;
  texts.reserve(values.size());
  for (const auto& v : values) texts.push_back(text(v));
  params.text_array(texts, what);
}

}  // namespace

PgDeadlineStore::PgDeadlineStore(std::shared_ptr<detail::Database> db) : db_(std::move(db)) {}
PgDeadlineStore::~PgDeadlineStore() = default;

std::vector<DeadlineItem> PgDeadlineStore::due(Timestamp now, std::size_t limit) const {
  if (limit == 0) return {};
  Params params;
  params.int64(detail::to_nanos(now)).int64(detail::clamp_limit(limit));
  return db_->read([&](Connection& c) { return read_items(c.exec(kDue, params), c.label()); });
}

std::optional<Timestamp> PgDeadlineStore::next_due() const {
  return db_->read([&](Connection& c) -> std::optional<Timestamp> {
    const auto r = c.exec(kNextDue);
    if (r.null(0, 0)) return std::nullopt;
    return detail::from_nanos(r.int64(0, 0, c.label()));
  });
}

bool PgDeadlineStore::claim(std::int64_t id, Timestamp now) {
  Params params;
  params.int64(id).int64(detail::to_nanos(now));
  return db_->write([&](Connection& c) { return c.exec(kClaim, params).affected() == 1; });
}

bool PgDeadlineStore::mark_fired(std::int64_t id, DeadlineStatus outcome, const std::string& note) {
  if (outcome != DeadlineStatus::Fired && outcome != DeadlineStatus::Moot && outcome != DeadlineStatus::Failed)
    throw EngineError::invalid_input(std::string("mark_fired needs fired, moot or failed, not ") +
                                     deadline_status_name(outcome));
  Params params;
  params.int64(id).text(deadline_status_name(outcome)).text(note, "the note");
  return db_->write([&](Connection& c) { return c.exec(kMarkFired, params).affected() == 1; });
}

bool PgDeadlineStore::release(std::int64_t id) {
  Params params;
  params.int64(id);
  return db_->write([&](Connection& c) { return c.exec(kRelease, params).affected() == 1; });
}

bool PgDeadlineStore::cancel(const StreamId& stream, const std::string& name) {
  Params params;
  params.text(stream.str()).text(name, "the deadline name");
  return db_->write([&](Connection& c) { return c.exec(kCancel, params).affected() == 1; });
}

std::vector<DeadlineItem> PgDeadlineStore::pending() const {
  return db_->read([&](Connection& c) { return read_items(c.exec(kPending), c.label()); });
}

std::vector<DeadlineItem> PgDeadlineStore::list(const DeadlineQuery& query) const {
  Params params;
  const auto id_text = [](const auto& id) { return id.uuid().to_string(); };
  const auto same = [](const std::string& s) { return s; };
  list_param(params, query.tenants, id_text, "a tenant");
  list_param(params, query.workflows, same, "a workflow name");
  list_param(params, query.processes, id_text, "a process id");
  list_param(params, query.names, same, "a deadline name");
  query.due_since ? params.int64(detail::to_nanos(*query.due_since)) : params.null();
  query.due_until ? params.int64(detail::to_nanos(*query.due_until)) : params.null();
  return db_->read([&](Connection& c) { return read_items(c.exec(kList, params), c.label()); });
}

std::optional<DeadlineItem> PgDeadlineStore::find(const StreamId& stream, const std::string& name) const {
  Params params;
  params.text(stream.str()).text(name, "the deadline name");
  return db_->read([&](Connection& c) -> std::optional<DeadlineItem> {
    auto items = read_items(c.exec(kFind, params), c.label());
    if (items.empty()) return std::nullopt;
    return std::move(items.front());
  });
}

}  // namespace mako::postgres
