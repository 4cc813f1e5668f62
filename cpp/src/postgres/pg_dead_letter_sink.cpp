#include "mako/postgres/pg_dead_letter_sink.hpp"

#include "database.hpp"
#include "mako/core/errors.hpp"
#include "service_rows.hpp"

namespace mako::postgres {

using detail::Connection;
using detail::Params;

namespace {
// The raw payload travels as hex text (parameters are NUL-terminated text) into a `bytea`, which
// keeps any bytes, whatever their encoding.
constexpr const char* kPut =
    "INSERT INTO dead_letters (tenant_id, source, route_key, reason, payload, received_at_ns) "
    "VALUES ($1, $2, $3, $4, decode($5, 'hex'), $6) RETURNING dead_letter_key";
constexpr const char* kList =
    "SELECT dead_letter_key, tenant_id, source, route_key, reason, encode(payload, 'hex'), received_at_ns "
    "FROM dead_letters ORDER BY dead_letter_key LIMIT $1";
constexpr const char* kCount = "SELECT count(*) FROM dead_letters";

std::string to_hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 0xf];
  }
  return out;
}

int nibble(char ch) {
  if (ch >= '0' && ch <= '9') return ch - '0';
  if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
  return -1;
}

std::string from_hex(std::string_view hex, const std::string& label) {
  std::string out(hex.size() / 2, '\0');
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
    if (hi < 0 || lo < 0 || hex.size() % 2)
      throw EngineError(EngineError::Kind::Corrupt, label + ": a dead letter's payload is not readable");
    out[i] = static_cast<char>(hi << 4 | lo);
  }
  return out;
}
}  // namespace

PgDeadLetterSink::PgDeadLetterSink(std::shared_ptr<detail::Database> db) : db_(std::move(db)) {}
PgDeadLetterSink::~PgDeadLetterSink() = default;

std::int64_t PgDeadLetterSink::put(const DeadLetter& letter) {
  Params params;
  params.optional_id(letter.tenant)
      .text(letter.source, "the dead letter's source")
      .text(letter.route_key, "the dead letter's route key")
      .text(letter.reason, "the dead letter's reason")
      .text(to_hex(letter.payload))
      .int64(detail::to_nanos(letter.at));
  return db_->write([&](Connection& c) { return c.exec(kPut, params).int64(0, 0, c.label()); });
}

std::vector<DeadLetter> PgDeadLetterSink::list(std::size_t limit) const {
  Params params;
  params.int64(detail::clamp_limit(limit));
  return db_->read([&](Connection& c) {
    const auto r = c.exec(kList, params);
    std::vector<DeadLetter> out;
    out.reserve(static_cast<std::size_t>(r.rows()));
    for (int row = 0; row < r.rows(); ++row) {
      DeadLetter& d = out.emplace_back();
      d.id = r.int64(row, 0, c.label());
      try {
        if (!r.null(row, 1)) d.tenant = TenantId(Uuid::parse(r.text(row, 1)));
      } catch (const EngineError& e) {
        throw EngineError(EngineError::Kind::Corrupt, c.label() + ": unreadable tenant of a dead letter: " + e.what());
      }
      d.source = r.text(row, 2);
      d.route_key = r.text(row, 3);
      d.reason = r.text(row, 4);
      d.payload = from_hex(r.text(row, 5), c.label());
      d.at = detail::from_nanos(r.int64(row, 6, c.label()));
    }
    return out;
  });
}

std::size_t PgDeadLetterSink::count() const {
  return db_->read([&](Connection& c) { return static_cast<std::size_t>(c.exec(kCount).int64(0, 0, c.label())); });
}

}  // namespace mako::postgres
