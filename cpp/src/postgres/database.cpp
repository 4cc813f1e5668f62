#include "database.hpp"

#include <libpq-fe.h>

#include "schema.hpp"

namespace mako::postgres::detail {

namespace {

bool valid_schema_name(const std::string& name) {
  if (name.empty() || name.size() > 63) return false;
  if (!(name[0] == '_' || (name[0] >= 'a' && name[0] <= 'z'))) return false;
  for (char ch : name)
    if (!(ch == '_' || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'))) return false;
  return true;
}

// "postgres store (host=... port=... dbname=..., schema ...)": what errors name. Never the password.
std::string make_label(const std::string& conninfo, const std::string& schema) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &error);
  if (!options) {
    std::string why = error ? error : "out of memory";
    PQfreemem(error);
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    throw EngineError::invalid_input("postgres store: the connection string is not valid: " + why);
  }
  std::string where;
  for (const char* key : {"host", "hostaddr", "port", "dbname", "user"}) {
    for (PQconninfoOption* o = options; o->keyword; ++o) {
      if (std::string(o->keyword) != key || !o->val || !*o->val) continue;
      if (!where.empty()) where += ' ';
      where += std::string(key) + "=" + o->val;
    }
  }
  PQconninfoFree(options);
  return "postgres store (" + (where.empty() ? std::string("libpq defaults") : where) + ", schema " + schema + ")";
}

}  // namespace

Database::Database(std::string conninfo, std::string label, PgOptions options)
    : conninfo_(std::move(conninfo)), label_(std::move(label)), options_(std::move(options)) {
  session_sql_ = "SET search_path TO " + options_.schema +
                 "; SET lock_timeout = " + std::to_string(options_.lock_timeout.count()) +
                 "; SET client_encoding = 'UTF8'"
                 // Claims, the stream row locks and the log horizon rely on a snapshot per statement.
                 "; SET default_transaction_isolation = 'read committed'";
}

std::shared_ptr<Database> Database::open(const std::string& conninfo, const PgOptions& options) {
  if (!valid_schema_name(options.schema))
    throw EngineError::invalid_input(
        "postgres store: schema name '" + options.schema +
        "' is not allowed: use lowercase letters, digits and '_' (at most 63, not starting with a digit)");
  if (options.lock_timeout.count() < 0) throw EngineError::invalid_input("postgres store: negative lock timeout");
  std::shared_ptr<Database> db(new Database(conninfo, make_label(conninfo, options.schema), options));
  auto c = db->connect();
  db->schema_version_ = migrate(*c, options.schema);
  // One bigint key (an OID may not fit the two-int4 form): "mako" above, the table's OID below.
  constexpr std::int64_t kAppendLockClass = 0x6d616b6f;  // "mako"
  db->append_lock_key_ =
      (kAppendLockClass << 32) | c->exec("SELECT 'events'::regclass::oid::bigint").int64(0, 0, db->label_);
  db->idle_.push_back(std::move(c));
  return db;
}

std::unique_ptr<Connection> Database::connect() const {
  return std::make_unique<Connection>(conninfo_, label_, session_sql_);
}

void Database::throw_closed() const {
  throw EngineError::invalid_input(label_ + ": the store is closed; open it again to use it");
}

Connection* Database::unit_connection() const {
  std::lock_guard lock(mutex_);
  if (units_.empty()) return nullptr;
  const auto it = units_.find(std::this_thread::get_id());
  return it == units_.end() ? nullptr : it->second;
}

void Database::commit(Connection& c) const {
  if (c.in_failed_transaction())
    throw EngineError(EngineError::Kind::Storage,
                      label_ + ": a statement of this transaction failed; it is rolled back, nothing was written");
  c.exec("COMMIT");
}

void Database::require_usable(const Connection& c) const {
  if (c.lost())
    throw EngineError(EngineError::Kind::Storage,
                      label_ +
                          ": the connection of this unit of work was lost, and with it the unit's "
                          "writes; end the unit and start a new one");
  if (c.in_failed_transaction() || c.units.broken_at > 0)
    throw EngineError(EngineError::Kind::Storage,
                      label_ +
                          ": this unit of work is rollback-only (a write in it failed, or a unit "
                          "joined to it rolled back after writing); end it without commit (roll it "
                          "back) and start a new one");
}

// The outermost unit holds a connection and an open transaction. A nested unit is a SAVEPOINT,
// taken when the first write inside it comes, or joins the unit around it (UnitNesting).
class Database::Unit final : public WorkUnit {
 public:
  using Kind = Connection::Units::Kind;

  Unit(Database& db, UnitNesting nesting) : db_(db) {
    if (Connection* c = db_.unit_connection()) {
      c_ = c;
      db_.require_usable(*c_);
      const Kind kind = nesting == UnitNesting::Join ? Kind::Join : Kind::Savepoint;
      c_->units.open.push_back({kind, false, c_->units.writes});
      return;
    }
    lease_ = std::make_unique<Lease>(db_);
    c_ = lease_->connection.get();
    c_->exec("BEGIN");
    c_->units = {};
    c_->units.open.push_back({Kind::Transaction, true, 0});
    std::lock_guard lock(db_.mutex_);
    db_.units_[std::this_thread::get_id()] = c_;
  }

  ~Unit() override {
    if (done_) return;
    auto& units = c_->units;
    const std::size_t depth = units.depth();
    const auto unit = units.open.back();
    units.open.pop_back();
    if (unit.kind == Kind::Join) {
      // Its writes stay in the unit holding them until that one rolls back too.
      if (units.broken_at == 0 && units.writes != unit.writes_at_begin) units.broken_at = units.holder();
      return;
    }
    if (units.broken_at >= depth) units.broken_at = 0;  // what broke it goes with this rollback
    if (unit.kind == Kind::Transaction) {
      c_->rollback_quietly();
      end_outermost();
    } else if (unit.taken && !c_->lost()) {
      try {
        c_->exec("ROLLBACK TO SAVEPOINT mako_unit; RELEASE SAVEPOINT mako_unit");
      } catch (const EngineError&) {  // a destructor must not throw: the outer unit cannot commit now
        if (units.broken_at == 0) units.broken_at = units.holder();
      }
    }
  }

  void commit() override {
    if (done_) throw EngineError::invalid_input("unit of work committed twice");
    db_.require_usable(*c_);  // also refuses a unit holding a failed or rolled-back write
    auto& units = c_->units;
    const auto unit = units.open.back();
    if (unit.kind == Kind::Transaction) c_->exec("COMMIT");
    else if (unit.kind == Kind::Savepoint && unit.taken) c_->exec("RELEASE SAVEPOINT mako_unit");
    units.open.pop_back();
    done_ = true;
    if (unit.kind == Kind::Transaction) end_outermost();
  }

 private:
  void end_outermost() {
    {
      std::lock_guard lock(db_.mutex_);
      db_.units_.erase(std::this_thread::get_id());
    }
    lease_.reset();  // the connection goes back to the pool (or is closed if it was lost)
  }

  Database& db_;
  Connection* c_ = nullptr;
  std::unique_ptr<Lease> lease_;  // the outermost unit's connection
  bool done_ = false;
};

std::unique_ptr<WorkUnit> Database::begin_unit(UnitNesting nesting) {
  require_open();
  return std::make_unique<Unit>(*this, nesting);
}

void Database::close() {
  if (unit_connection())
    throw EngineError::invalid_input(label_ + ": close inside a unit of work; commit or roll it back first");
  if (closed_.exchange(true, std::memory_order_acq_rel)) return;
  std::lock_guard lock(mutex_);
  idle_.clear();
}

Database::~Database() {
  closed_.store(true, std::memory_order_release);
  idle_.clear();
}

Database::Lease::Lease(const Database& d) : db(d) {
  {
    std::lock_guard lock(db.mutex_);
    if (!db.idle_.empty()) {
      connection = std::move(db.idle_.back());
      db.idle_.pop_back();
    }
  }
  if (!connection) connection = db.connect();
}

Database::Lease::~Lease() {
  if (!connection) return;
  connection->discard_queued();
  if (connection->lost()) {
    // Closed with the lease, and the idle ones too: after a server restart they are all dead, and
    // each would fail one more call.
    std::lock_guard lock(db.mutex_);
    db.idle_.clear();
    return;
  }
  if (connection->in_transaction()) return;  // a failure mid-way: closed with the lease
  std::lock_guard lock(db.mutex_);
  if (db.closed() || db.idle_.size() >= db.options_.max_idle_connections) return;
  db.idle_.push_back(std::move(connection));
}

}  // namespace mako::postgres::detail
