// HistoryReader::registry: the registry entries a person can look processes up by (MaLo-ID,
// Vorgangsnummer), matched exactly or by suffix, filtered by tenant.
#include <catch2/catch.hpp>

#include <mako/sqlite/event_columns.hpp>
#include <mako/sqlite/sqlite_store.hpp>

#include "contract/runtime_fixture.hpp"
#include "sqlite/test_paths.hpp"

using namespace mako;
using mako::sqlite::HistoryReader;
using mako::sqlite::KeyMatch;

namespace {

const TenantId nb = TenantId::from_party_id("9900467000000");
const TenantId lf = TenantId::from_party_id("9904590000002");
const Timestamp t0 = parse_rfc3339("2026-03-16T09:00:00Z");

// The values of a text or category column, row by row.
std::vector<std::string> strings(const sqlite::ColumnTable& table, std::string_view name) {
  const auto* column = table.find(name);
  REQUIRE(column);
  std::vector<std::string> out;
  if (const auto* c = std::get_if<sqlite::CategoryColumn>(&column->values)) {
    for (auto code : c->codes) out.push_back(code < 0 ? "" : c->categories[static_cast<std::size_t>(code)]);
  } else {
    const auto& t = std::get<sqlite::TextColumn>(column->values);
    for (std::size_t i = 0; i + 1 < t.offsets.size(); ++i)
      out.push_back(t.data.substr(static_cast<std::size_t>(t.offsets[i]),
                                  static_cast<std::size_t>(t.offsets[i + 1] - t.offsets[i])));
  }
  return out;
}

}  // namespace

TEST_CASE("history reader: registry entries by exact key, by suffix and by tenant", "[sqlite][history][registry]") {
  const auto path = sqlite_test::fresh_db("history-registry");
  const auto a = contract::new_process(nb, "gpke.lieferbeginn.nb");
  const auto b = contract::new_process(nb, "gpke.lieferbeginn.nb");
  const auto c = contract::new_process(lf, "gpke.lieferbeginn.lfn");
  {
    auto store = sqlite::SqliteStore::open(path);
    for (const auto& p : {a, b, c}) {
      auto batch = contract::process_commit(p, t0);
      store->append(batch);
    }
    auto registry = store->registry();
    registry->register_key(a, RegistryEntry{"malo", "41373559241"});
    registry->register_key(a, RegistryEntry{"anmeldung", "9904590000002/VG1"});
    registry->register_key(b, RegistryEntry{"malo", "51238696781"});
    registry->register_key(b, RegistryEntry{"vorgang", "VG1X"});
    registry->register_key(c, RegistryEntry{"malo", "41373559241"});
    registry->register_key(c, RegistryEntry{"vorgang", "VG1"});
  }
  HistoryReader reader(path);
  sqlite::HistoryFilter all;

  auto t = reader.registry(all, {KeyMatch{"malo", "41373559241", false}});
  CHECK(t.rows == 2);
  CHECK(strings(t, "stream_id") == std::vector<std::string>{a.stream_id.str(), c.stream_id.str()});
  CHECK(strings(t, "key") == std::vector<std::string>{"41373559241", "41373559241"});

  sqlite::HistoryFilter only_nb;
  only_nb.tenants = {nb.to_string()};
  t = reader.registry(only_nb, {KeyMatch{"malo", "41373559241", false}});
  CHECK(strings(t, "process_id") == std::vector<std::string>{a.process_id.to_string()});

  // A Vorgangsnummer: the "vorgang" key itself, or an "anmeldung" key "<sender>/<number>".
  t = reader.registry(all, {KeyMatch{"vorgang", "VG1", false}, KeyMatch{"anmeldung", "/VG1", true}});
  CHECK(strings(t, "stream_id") == std::vector<std::string>{a.stream_id.str(), c.stream_id.str()});
  CHECK(strings(t, "kind") == std::vector<std::string>{"anmeldung", "vorgang"});

  // Any kind; no match at all.
  CHECK(reader.registry(all, {KeyMatch{"", "VG1X", false}}).rows == 1);
  CHECK(reader.registry(all, {KeyMatch{"malo", "VG1", false}}).rows == 0);
  // No matches: every entry.
  CHECK(reader.registry(all, {}).rows == 6);
}
