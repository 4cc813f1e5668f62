#include "mako/stores/open_store.hpp"

#include <array>
#include <cctype>
#include <string_view>

#include "mako/core/errors.hpp"
#include "mako/sqlite/sqlite_store.hpp"
#if MAKO_HAVE_POSTGRES
#include "mako/postgres/pg_store.hpp"
#endif

namespace mako::stores {

namespace {

// libpq's connection keywords (https://www.postgresql.org/docs/current/libpq-connect.html): a
// key=value location starts with one of them, so a SQLite file named "a=b.sqlite" stays a file.
constexpr std::array<std::string_view, 19> kLibpqKeywords = {"host",
                                                             "hostaddr",
                                                             "port",
                                                             "dbname",
                                                             "user",
                                                             "password",
                                                             "passfile",
                                                             "service",
                                                             "connect_timeout",
                                                             "options",
                                                             "sslmode",
                                                             "sslrootcert",
                                                             "application_name",
                                                             "sslcert",
                                                             "sslkey",
                                                             "target_session_attrs",
                                                             "gssencmode",
                                                             "krbsrvname",
                                                             "requiressl"};

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

bool is_key_value(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  std::size_t key_end = i;
  while (key_end < s.size() && (std::isalnum(static_cast<unsigned char>(s[key_end])) || s[key_end] == '_')) ++key_end;
  const std::string_view key = s.substr(i, key_end - i);
  std::size_t eq = key_end;
  while (eq < s.size() && std::isspace(static_cast<unsigned char>(s[eq]))) ++eq;
  if (eq >= s.size() || s[eq] != '=') return false;
  for (const auto k : kLibpqKeywords)
    if (key == k) return true;
  return false;
}

// Masks the value after `from` up to the first character of `stops` (or the end).
void mask(std::string& s, std::size_t from, std::string_view stops) {
  std::size_t end = s.find_first_of(stops, from);
  if (end == std::string::npos) end = s.size();
  if (end > from) s.replace(from, end - from, "***");
}

}  // namespace

bool is_postgres_location(const std::string& location) {
  return starts_with(location, "postgresql://") || starts_with(location, "postgres://") || is_key_value(location);
}

StoreKind store_kind(const std::string& location) {
  return is_postgres_location(location) ? StoreKind::Postgres : StoreKind::Sqlite;
}

bool postgres_supported() { return MAKO_HAVE_POSTGRES != 0; }

std::string redacted(const std::string& location) {
  if (!is_postgres_location(location)) return location;
  std::string s = location;
  if (const auto scheme = s.find("://"); scheme != std::string::npos) {
    // postgresql://user:secret@host/db: the password sits between the first ':' and the '@' of the authority.
    const std::size_t authority = scheme + 3;
    const std::size_t at = s.find('@', authority);
    const std::size_t slash = s.find_first_of("/?", authority);
    if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
      const std::size_t colon = s.find(':', authority);
      if (colon != std::string::npos && colon < at) mask(s, colon + 1, "@");
    }
  }
  // password=... as a key=value pair or a URL query parameter.
  for (std::size_t pos = s.find("password"); pos != std::string::npos; pos = s.find("password", pos + 1)) {
    if (pos > 0 && !(std::isspace(static_cast<unsigned char>(s[pos - 1])) || s[pos - 1] == '?' || s[pos - 1] == '&'))
      continue;
    std::size_t eq = pos + 8;
    while (eq < s.size() && std::isspace(static_cast<unsigned char>(s[eq]))) ++eq;
    if (eq >= s.size() || s[eq] != '=') continue;
    ++eq;
    while (eq < s.size() && std::isspace(static_cast<unsigned char>(s[eq]))) ++eq;
    if (eq < s.size() && s[eq] == '\'') {  // a quoted value may hold spaces
      std::size_t end = eq + 1;
      while (end < s.size() && s[end] != '\'') end += s[end] == '\\' ? 2 : 1;
      s.replace(eq, std::min(end + 1, s.size()) - eq, "***");
    } else {
      mask(s, eq, " \t&");
    }
  }
  return s;
}

OpenedStore open_store(const std::string& location, const StoreOptions& options) {
  OpenedStore out;
  out.kind = store_kind(location);
  if (out.kind == StoreKind::Sqlite) {
    auto store = sqlite::SqliteStore::open(location, options.sqlite);
    out.snapshots = store->snapshots();
    out.events = std::move(store);
    out.label = location;
    return out;
  }
#if MAKO_HAVE_POSTGRES
  auto store = postgres::PgStore::open(location, options.postgres);
  out.snapshots = store->snapshots();
  out.label = store->label();
  out.events = std::move(store);
  return out;
#else
  throw EngineError::invalid_input(
      "'" + redacted(location) +
      "' is a PostgreSQL connection string, but this mako-engine was built without PostgreSQL support (CMake "
      "did not find libpq: install libpq-dev, or your system's PostgreSQL client library, and build again)");
#endif
}

EngineBuilder engine_builder(const OpenedStore& store) {
  EngineBuilder builder;
  builder.with_event_store(store.events).with_snapshot_store(store.snapshots);
  return builder;
}

EngineContext engine_for(const std::string& location, const StoreOptions& options) {
  return engine_builder(open_store(location, options)).build();
}

}  // namespace mako::stores
