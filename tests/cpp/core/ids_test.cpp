#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <set>
#include <string>
#include <utility>
#include <vector>

#include <mako/core/errors.hpp>
#include <mako/core/format_version.hpp>
#include <mako/core/ids.hpp>
#include <mako/core/outbound_message.hpp>
#include <mako/core/timestamp.hpp>

using namespace mako;

TEST_CASE("UUIDv5 constructors reproduce the golden values of the contract", "[ids]") {
  CHECK(TenantId::from_party_id("9900123456789").to_string() == "5699ab15-89c8-5ff7-8ac2-fe77399c5425");
  CHECK(CorrelationId::from_interchange_ref("A000123").to_string() == "e7a32fa6-fd4a-5801-b9e9-205f60a67183");
  CHECK(
      outbox_idempotency_key(ProcessId::nil(), "DispatchAperak", "4012345000023", FormatVersion::parse("FV2025-10-01"))
          .to_string() == "9dad73d9-0ac9-54f6-80cc-f7dcc7dfa78f");
  // RFC 9562 appendix example: v5 of "www.example.com" in the DNS namespace.
  CHECK(Uuid::v5(Uuid::parse("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), "www.example.com").to_string() ==
        "2ed6657d-e927-568b-95e1-2665a8aea6a2");
}

TEST_CASE("UUIDv5 matches Python's uuid.uuid5 for names ending on every SHA-1 padding boundary", "[ids]") {
  // Namespace (16 bytes) + name: 55, 56, 57, 63, 64, 65 and 119, 120, 127, 128 bytes fill the
  // padding's one- and two-block cases. Expected values from Python's uuid.uuid5.
  const auto dns = Uuid::parse("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
  const std::pair<std::size_t, const char*> cases[] = {
      {0, "4ebd0208-8328-5d69-8c44-ec50939c0967"},   {1, "4f3f2898-69e3-5a0d-820a-c4e87987dbce"},
      {39, "ee0d9890-1ba2-56e0-b659-23f844815fd9"},  {40, "46bceb3c-aaae-5954-9892-6f621aa3a4ed"},
      {41, "640654ad-b810-54cf-965e-43769ca5d3f2"},  {47, "2b63c22b-a996-5c56-b4fb-53cde45a4ec6"},
      {48, "3f5cb533-5dd5-5364-8e21-118278022f60"},  {49, "131650bb-2c94-5e80-9846-3383ab984efd"},
      {103, "3e791466-2849-5b33-b0c6-21e03bb315d5"}, {104, "ebc14357-3c7e-536f-b94e-bf20fb29f4ff"},
      {111, "6f57f1d6-73b5-5286-8812-d7aacc779b56"}, {112, "08a9d3a7-33b5-5f7e-b250-e5a32f46f7af"},
      {200, "26bc6ba7-3416-52b9-852e-e0eab51600f3"}};
  for (const auto& [length, expected] : cases) {
    std::string name;
    for (std::size_t i = 0; i < length; ++i) name.push_back(static_cast<char>('a' + i % 26));
    INFO("name length " << length);
    CHECK(Uuid::v5(dns, name).to_string() == expected);
  }
}

TEST_CASE("random ids are version 4, distinct and lowercase hyphenated", "[ids]") {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    auto id = ProcessId::generate();
    CHECK(id.uuid().version() == 4);
    CHECK((id.uuid().bytes()[8] & 0xC0) == 0x80);
    seen.insert(id.to_string());
  }
  CHECK(seen.size() == 1000);
  auto text = TenantId().to_string();
  CHECK(text.size() == 36);
  CHECK(text == TenantId::parse(text).to_string());
  CHECK(TenantId::parse("5699AB15-89C8-5FF7-8AC2-FE77399C5425").to_string() == "5699ab15-89c8-5ff7-8ac2-fe77399c5425");
}

TEST_CASE("a forked child draws other random ids than its parent", "[ids]") {
  // Without reseeding, the child would continue the parent's generator: the same ids in two processes.
  (void)Uuid::v4();  // the parent's generator is seeded and in use
  int pipe_fds[2];
  REQUIRE(::pipe(pipe_fds) == 0);
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    const auto id = Uuid::v4();
    const bool ok = ::write(pipe_fds[1], id.bytes().data(), 16) == 16;
    ::_exit(ok ? 0 : 1);
  }
  ::close(pipe_fds[1]);
  std::array<std::uint8_t, 16> child{};
  const auto got = ::read(pipe_fds[0], child.data(), 16);
  ::close(pipe_fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  REQUIRE(got == 16);
  CHECK(WIFEXITED(status));
  CHECK(Uuid(child) != Uuid::v4());
}

TEST_CASE("malformed UUIDs are refused with the reason", "[ids][errors]") {
  CHECK_THROWS_WITH(Uuid::parse("not-a-uuid"), Catch::Contains("expected 36 characters"));
  CHECK_THROWS_WITH(Uuid::parse("5699ab15-89c8-5ff7-8ac2-fe77399c542g"),
                    Catch::Contains("non-hex character at position 36"));
  CHECK_THROWS_WITH(Uuid::parse("5699ab15x89c8-5ff7-8ac2-fe77399c5425"), Catch::Contains("expected '-' at position 9"));
  try {
    Uuid::parse("");
    FAIL();
  } catch (const EngineError& e) {
    CHECK(e.is_invalid_input());
  }
}

TEST_CASE("stream ids refuse empty, NUL, control characters and excessive length", "[ids][errors]") {
  CHECK_THROWS_WITH(StreamId(""), Catch::Contains("must not be empty"));
  CHECK_THROWS_WITH(StreamId(std::string("abc\0def", 7)), Catch::Contains("NUL byte at offset 3"));
  CHECK_THROWS_WITH(StreamId("a\nb"), Catch::Contains("control character"));
  CHECK_THROWS_WITH(StreamId(std::string(1025, 'x')), Catch::Contains("limit is 1024"));
  auto t = TenantId::from_party_id("9900123456789");
  auto p = ProcessId::parse("00000000-0000-4000-8000-000000000001");
  CHECK(StreamId::for_process(t, p).str() ==
        "process/5699ab15-89c8-5ff7-8ac2-fe77399c5425/00000000-0000-4000-8000-000000000001");
}

TEST_CASE("stream ids: a bad byte is found at any offset, and named, UTF-8 and DEL's neighbours pass",
          "[ids][errors]") {
  // The check runs eight bytes at a time: put each bad byte at every offset of a few words.
  for (std::size_t at = 0; at < 20; ++at) {
    INFO(at);
    std::string id(at, 'x');
    for (const auto& [bad, message] : std::vector<std::pair<char, std::string>>{
             {'\0', "NUL byte at offset " + std::to_string(at)},
             {'\x01', "control character 0x1 at offset " + std::to_string(at)},
             {'\x1F', "control character 0x31 at offset " + std::to_string(at)},
             {'\x7F', "control character 0x127 at offset " + std::to_string(at)}}) {
      CHECK_THROWS_WITH(StreamId(id + bad + std::string(at, 'y')), Catch::Contains(message));
    }
    CHECK(StreamId(id + "\x20\x7E\x80\xFF M\xC3\xBCller/\xF0\x9F\x98\x80" + std::string(at, '~')).str().size() ==
          2 * at + 17);
  }
}

TEST_CASE("stream ids compare, order and hash by their text, shared or not", "[ids]") {
  const StreamId a("process/a"), a2(std::string("process/a")), b("process/b");
  StreamId copy = a;
  CHECK(copy == a);
  CHECK(a == a2);
  CHECK(a != b);
  CHECK(a < b);
  CHECK(std::hash<StreamId>{}(a) == std::hash<StreamId>{}(a2));
  CHECK(std::hash<StreamId>{}(copy) == std::hash<StreamId>{}(a));
  StreamId moved = std::move(copy);
  CHECK(moved.str() == "process/a");
  CHECK(StreamId().str().empty());
  CHECK(StreamId() < a);
  // Every byte of a UUID renders as two lowercase hex digits.
  CHECK(Uuid::parse("01234567-89AB-CDEF-0123-456789abcdef").to_string() == "01234567-89ab-cdef-0123-456789abcdef");
  for (int first = 0; first < 256; first += 16) {
    std::array<std::uint8_t, 16> bytes{};
    std::string expected;
    for (int i = 0; i < 16; ++i) {
      bytes[i] = static_cast<std::uint8_t>(first + i);
      if (i == 4 || i == 6 || i == 8 || i == 10) expected += '-';
      expected += "0123456789abcdef"[(first + i) >> 4];
      expected += "0123456789abcdef"[(first + i) & 15];
    }
    CHECK(Uuid(bytes).to_string() == expected);
  }
}

TEST_CASE("FormatVersion parses, orders and explains malformed input", "[format_version]") {
  auto fv = FormatVersion::parse("FV2025-10-01");
  CHECK(fv.year() == 2025);
  CHECK(fv.month() == 10);
  CHECK(fv.day() == 1);
  CHECK(fv.to_string() == "FV2025-10-01");
  CHECK(FormatVersion::parse("FV2024-04-03") < fv);
  CHECK(FormatVersion::parse("FV2025-06-06") < FormatVersion::parse("FV2025-10-01"));

  CHECK_THROWS_WITH(FormatVersion::parse("2025-10-01"), Catch::Contains("missing 'FV' prefix"));
  CHECK_THROWS_WITH(FormatVersion::parse("FV2025-13-01"), Catch::Contains("month 13 out of range"));
  CHECK_THROWS_WITH(FormatVersion::parse("FV2025-02-30"), Catch::Contains("day 30 does not exist"));
  CHECK_THROWS_WITH(FormatVersion::parse("FV1999-10-01"), Catch::Contains("before 2000"));
  CHECK_THROWS_WITH(FormatVersion::parse("FV2025-1-01"), Catch::Contains("YYYY-MM-DD"));
  CHECK_THROWS_WITH(FormatVersion::parse("FV20x5-10-01"), Catch::Contains("year '20x5' is not a number"));
  CHECK(FormatVersion::parse("FV2024-02-29").day() == 29);
  CHECK_THROWS(FormatVersion::parse("FV2025-02-29"));

  WorkflowId w("gpke.lieferbeginn", "FV2025-10-01");
  CHECK(w.name() == "gpke.lieferbeginn");
  CHECK(w.to_string() == "gpke.lieferbeginn@FV2025-10-01");
  CHECK_THROWS_WITH(WorkflowId("x", "FV2025"), Catch::Contains("YYYY-MM-DD"));
}

TEST_CASE("RFC 3339 timestamps round-trip in the form chrono writes", "[timestamp]") {
  for (auto text : {"2025-06-06T10:00:00Z", "2025-06-06T10:00:00.500Z", "2025-06-06T10:00:00.123456Z",
                    "2025-06-06T10:00:00.123456789Z", "1999-12-31T23:59:59Z"})
    CHECK(format_rfc3339(parse_rfc3339(text)) == text);
  CHECK(format_rfc3339(parse_rfc3339("2025-06-06T12:00:00+02:00")) == "2025-06-06T10:00:00Z");
  CHECK(format_rfc3339(parse_rfc3339("2025-06-06T10:00:00.1Z")) == "2025-06-06T10:00:00.100Z");
  CHECK_THROWS_WITH(parse_rfc3339("2025-06-06"), Catch::Contains("expected YYYY-MM-DDTHH:MM:SS"));
  CHECK_THROWS_WITH(parse_rfc3339("2025-02-30T00:00:00Z"), Catch::Contains("not a calendar date"));
  CHECK_THROWS_WITH(parse_rfc3339("2025-06-06T10:00:00"), Catch::Contains("missing 'Z'"));
}
