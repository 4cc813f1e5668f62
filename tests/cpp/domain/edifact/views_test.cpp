// Typed views and builders: build -> write -> parse -> view returns the same values.
#include <catch2/catch.hpp>

#include <chrono>

#include "mako/domain/edifact/aperak.hpp"
#include "mako/domain/edifact/contrl.hpp"
#include "mako/domain/edifact/datetime.hpp"
#include "mako/domain/edifact/envelope.hpp"
#include "mako/domain/edifact/parser.hpp"
#include "mako/domain/edifact/pid.hpp"
#include "mako/domain/edifact/utilmd.hpp"
#include "mako/domain/edifact/validation.hpp"
#include "mako/domain/edifact/writer.hpp"

using namespace mako::edifact;
using namespace std::chrono;

namespace {

const MarketPartner kNb{"9900467000000", "293"};
const MarketPartner kLf{"9904590000002", "293"};
constexpr sys_seconds kDate = sys_days{year{2025} / June / 2} + hours{9} + minutes{45};
// Acknowledgements: in FV2604 (APERAK 2.1i) and FV2610 (APERAK 2.2).
constexpr sys_seconds kAckDate = sys_days{year{2026} / March / 2} + hours{9};
constexpr sys_seconds kAckDate22 = sys_days{year{2026} / November / 2} + hours{9};

Message through_the_wire(const MarketPartner& from, const MarketPartner& to, Message m) {
  const std::string bytes = write(make_interchange(from, to, "IC1", kDate, {std::move(m)}));
  Interchange ic = parse(bytes);
  REQUIRE(ic.messages.size() == 1);
  return ic.messages[0];
}

UtilmdMessage sample_utilmd() {
  UtilmdMessage u;
  u.reference = "MSG1";
  u.document_code = "E01";
  u.document_number = "DOC1";
  u.message_date = kDate;
  u.sender = kLf;
  u.receiver = kNb;
  u.transactions.push_back({.reference = "VG1",
                            .start = sys_days{year{2025} / June / 30} + hours{22},
                            .reason = "E03",
                            .malo_id = "41373559241",
                            .pid = "55001"});
  u.transactions.push_back({.reference = "VG2",
                            .reason = "E01",
                            .answer_code = "A01",
                            .malo_id = "51238696012",
                            .pid = "55002",
                            .referenced_transaction = "VG0"});
  return u;
}

}  // namespace

TEST_CASE("DTM 303 and 102") {
  const auto t = parse_dtm_303("202506302200+00");
  REQUIRE(t);
  CHECK(*t == sys_days{year{2025} / June / 30} + hours{22});
  CHECK(parse_dtm_303("202507010000+02") == t);  // offset converted to UTC
  CHECK(format_dtm_303(*t) == "202506302200+00");
  CHECK_FALSE(parse_dtm_303("202502300000+00"));  // 30 February
  CHECK_FALSE(parse_dtm_303("202506302400+00"));
  CHECK_FALSE(parse_dtm_303("2025063022+00"));
  CHECK_FALSE(parse_dtm_303("202506302200x00"));
  CHECK(parse_dtm_102("20250630") == sys_days{year{2025} / June / 30});
  CHECK(format_dtm_102(sys_days{year{2025} / January / 5}) == "20250105");
  CHECK_FALSE(parse_dtm_102("2025063"));
  CHECK(parse_dtm("20250630", "102") == sys_seconds{sys_days{year{2025} / June / 30}});
  CHECK_FALSE(parse_dtm("20250630", "999"));
  CHECK(format_unb_date(kDate) == "250602");
  CHECK(format_unb_time(kDate) == "0945");
}

TEST_CASE("PID tables") {
  for (const char* pid : {"55001", "55002", "55003", "55004", "55005", "55006", "55007", "55008", "55009", "55010",
                          "55011", "55012", "55016", "55017", "55018", "55036", "55037"}) {
    INFO(pid);
    REQUIRE(find_utilmd_strom_pid(pid) != nullptr);
    CHECK(format_of_pid(pid)->format == "UTILMD");
  }
  CHECK(find_utilmd_strom_pid("55999") == nullptr);
  CHECK(find_utilmd_strom_pid("44001") == nullptr);
  CHECK(find_utilmd_strom_pid("55002")->answer_to == "55001");
  CHECK(format_of_pid("44001")->note == "Gas");
  CHECK(format_of_pid("13002")->format == "MSCONS");
  CHECK(format_of_pid("17101")->format == "ORDERS");
  CHECK(format_of_pid("19101")->format == "ORDRSP");
  CHECK(format_of_pid("21000")->format == "IFTSTA");
  CHECK(format_of_pid("31001")->format == "INVOIC");
  CHECK(format_of_pid("33001")->format == "REMADV");
  CHECK(format_of_pid("91000")->format == "CONTRL");
  CHECK(format_of_pid("92001")->format == "APERAK");
  CHECK(format_of_pid("99001")->format == "APERAK");
  CHECK(format_of_pid("00001") == nullptr);
  CHECK(format_of_pid("5500") == nullptr);
  CHECK_FALSE(looks_like_pid("5500a"));
}

TEST_CASE("UTILMD build -> write -> parse -> view") {
  const UtilmdMessage u = sample_utilmd();
  const Message m = through_the_wire(kLf, kNb, build_utilmd(u));
  CHECK(read_utilmd(m) == u);
  // the PID sits in RFF+Z13 of each transaction, not in BGM
  const auto& bgm = m.segments.at(0);
  CHECK(bgm == Segment("BGM", {Element{"E01"}, Element{"DOC1"}}));
  CHECK(m.segments.at(1) == Segment("DTM", {Element{"137", "202506020945+00", "303"}}));
  CHECK(m.segments.at(2) == Segment("NAD", {Element{"MS"}, Element{"9904590000002", "", "293"}}));
}

TEST_CASE("UTILMD direct writer matches build_utilmd + make_interchange + write") {
  auto reference = [](const UtilmdMessage& u, const std::string& ic_ref, sys_seconds at = kDate) {
    return write(make_interchange(u.sender, u.receiver, ic_ref, at, {build_utilmd(u)}));
  };
  UtilmdMessage u = sample_utilmd();
  CHECK(write_utilmd_interchange(u, "IC1", kDate) == reference(u, "IC1"));
  // optional parts absent, no association (trailing S009 component dropped), DVGW/GS1 partners,
  // values that need escaping, no transaction at all
  u.association.clear();
  u.sender = MarketPartner{"9800000000003", "332"};
  u.receiver = MarketPartner{"4012345000009", "9"};
  u.document_number = "D?O:C+1'";
  u.transactions[0].reason.clear();
  u.transactions[0].malo_id.clear();
  u.transactions[1].referenced_transaction = "a+b";
  CHECK(write_utilmd_interchange(u, "R?1", kDate + hours{20}) == reference(u, "R?1", kDate + hours{20}));
  u.transactions.clear();
  CHECK(write_utilmd_interchange(u, "R2", kDate) == reference(u, "R2"));
  // a value outside the repertoire fails the same way
  u.document_number = "\xe2\x82\xac";
  CHECK_THROWS_AS(write_utilmd_interchange(u, "R3", kDate), WriteError);
  CHECK_THROWS_AS(reference(u, "R3"), WriteError);
}

TEST_CASE("UTILMD reads DTM+92 in format 102 and ignores segments it does not model") {
  Message m = build_utilmd(sample_utilmd());
  for (auto& s : m.segments)
    if (s.is("DTM", "92")) s.elements[0] = Element{"92", "20250701", "102"};
  m.segments.insert(m.segments.begin() + 5, Segment("CTA", {Element{"IC"}, Element{"", "Frau Muster"}}));
  const UtilmdMessage u = read_utilmd(m);
  CHECK(u.transactions.at(0).start == sys_seconds{sys_days{year{2025} / July / 1}});
  CHECK(u.transactions.at(0).malo_id == "41373559241");
}

TEST_CASE("UTILMD view errors") {
  UtilmdMessage u = sample_utilmd();
  auto error_of = [](const Message& m) -> ParseError {
    try {
      (void)read_utilmd(m);
    } catch (const ParseError& e) {
      return e;
    }
    FAIL("expected ParseError");
    throw std::logic_error("unreachable");
  };
  SECTION("unknown PID, with the RFF segment located") {
    u.transactions[1].pid = "55999";
    const Message m = through_the_wire(kLf, kNb, build_utilmd(u));
    const ParseError e = error_of(m);
    CHECK(e.segment_tag() == "RFF");
    CHECK(e.found().find("55999") != std::string::npos);
    const Segment* rff = nullptr;
    for (const auto& s : m.segments)
      if (s.is("RFF", "Z13") && s.value(0, 1) == "55999") rff = &s;
    REQUIRE(rff);
    CHECK(e.segment_number() == rff->number);
    CHECK(e.byte_offset() == rff->offset);
  }
  SECTION("Gas PID in UTILMD Strom names the format") {
    u.transactions[0].pid = "44001";
    CHECK(error_of(build_utilmd(u)).found().find("UTILMD Gas") != std::string::npos);
  }
  SECTION("PID in BGM") {
    Message m = build_utilmd(u);
    m.segments[0].elements[1][0] = "55001";
    const ParseError e = error_of(m);
    CHECK(e.segment_tag() == "BGM");
    CHECK(e.expected().find("RFF+Z13") != std::string::npos);
  }
  SECTION("transaction without PID") {
    Message m = build_utilmd(u);
    std::erase_if(m.segments, [](const Segment& s) { return s.is("RFF", "Z13") && s.value(0, 1) == "55002"; });
    const ParseError e = error_of(m);
    CHECK(e.segment_tag() == "IDE");
    CHECK(e.expected().find("VG2") != std::string::npos);
  }
  SECTION("two PIDs in a transaction") {
    Message m = build_utilmd(u);
    m.segments.push_back(Segment("RFF", {Element{"Z13", "55003"}}));
    CHECK(error_of(m).found().find("second PID") != std::string::npos);
  }
  SECTION("bad message date") {
    Message m = build_utilmd(u);
    m.segments[1].elements[0][1] = "2025";
    CHECK(error_of(m).segment_tag() == "DTM");
  }
  SECTION("no transactions") {
    u.transactions.clear();
    CHECK(error_of(build_utilmd(u)).expected().find("transaction") != std::string::npos);
  }
  SECTION("not a UTILMD") {
    Message m = build_utilmd(u);
    m.type = "MSCONS";
    CHECK(error_of(m).segment_tag() == "UNH");
  }
}

TEST_CASE("APERAK build -> write -> parse -> view") {
  AperakMessage a;
  a.reference = "AP1";
  a.positive = false;
  a.document_number = "APDOC";
  a.message_date = kAckDate;
  a.referenced_document = "DOC1";
  a.referenced_date = kDate;
  a.referenced_message = "MSG1";
  a.transaction_ref = "VG1";
  a.sender = kNb;
  a.receiver = kLf;
  a.errors = {{"Z29", std::nullopt, "Zählpunkt? nicht: gefunden+", "SG5 LOC"},
              {"Z31", "55001", std::nullopt, std::nullopt}};
  const Message m = through_the_wire(kNb, kLf, build_aperak(a));
  CHECK(m.association == "2.1i");  // the release in force at the message date (FV2604)
  CHECK(m.segments.at(0) == Segment("BGM", {Element{"313"}, Element{"APDOC"}}));
  a.association = "2.1i";
  CHECK(read_aperak(m) == a);

  a.positive = true;
  a.errors.clear();
  a.referenced_message.reset();  // RFF+ACW belongs to the error groups of 2.1i only
  const Message pos = through_the_wire(kNb, kLf, build_aperak(a));
  CHECK(pos.segments.at(0).value(0) == "312");
  CHECK(read_aperak(pos) == a);

  SECTION("positive with ERC / negative without ERC / bad BGM / no RFF+ACE, DTM+171") {
    Message bad = build_aperak(a);
    bad.segments.push_back(Segment("ERC", {Element{"Z29"}}));
    CHECK_THROWS_AS(read_aperak(bad), ParseError);
    bad = build_aperak(a);
    bad.segments[0].elements[0][0] = "313";
    CHECK_THROWS_AS(read_aperak(bad), ParseError);
    bad.segments[0].elements[0][0] = "E01";
    CHECK_THROWS_WITH(read_aperak(bad), Catch::Contains("BGM+312"));
    bad = build_aperak(a);
    std::erase_if(bad.segments, [](const Segment& s) { return s.is("RFF", "ACE"); });
    CHECK_THROWS_WITH(read_aperak(bad), Catch::Contains("RFF+ACE"));
    bad = build_aperak(a);
    std::erase_if(bad.segments, [](const Segment& s) { return s.is("DTM", "171"); });
    CHECK_THROWS_WITH(read_aperak(bad), Catch::Contains("DTM+171"));
  }
  SECTION("a release other than 2.1i / 2.2 is refused with the release named") {
    for (const char* release : {"2.1h", "S2.1", ""}) {
      Message other = build_aperak(a);
      other.association = release;
      CHECK_THROWS_WITH(read_aperak(other), Catch::Contains("APERAK release 2.1i or 2.2") &&
                                                Catch::Contains("'" + std::string(release) + "'"));
    }
  }
  SECTION("the builder refuses what the MIG does not admit") {
    AperakMessage b = a;
    b.association = "2.0";
    CHECK_THROWS_WITH(build_aperak(b), Catch::Contains("release '2.0'"));
    b = a;
    b.errors = {{"Z29", std::nullopt, std::nullopt, std::nullopt}};
    CHECK_THROWS_WITH(build_aperak(b), Catch::Contains("positive APERAK"));
    b.positive = false;
    b.errors[0].code = "Z99";
    CHECK_THROWS_WITH(build_aperak(b), Catch::Contains("'Z99'"));
    b.errors.clear();
    CHECK_THROWS_WITH(build_aperak(b), Catch::Contains("at least one error"));
    b = a;
    b.association.clear();
    b.message_date = kDate - days{30};  // 2025-05-03: before FV2504, no APERAK release
    CHECK_THROWS_AS(build_aperak(b), std::out_of_range);
  }
}

TEST_CASE("APERAK layouts: 2.1i and 2.2, positive and error, with and without the Vorgang") {
  AperakMessage a;
  a.reference = "1";
  a.document_number = "APDOC";
  a.message_date = kAckDate;
  a.referenced_document = "DOC1";
  a.referenced_date = kDate;
  a.referenced_message = "MSG1";
  a.sender = kNb;
  a.receiver = kLf;
  a.errors = {{"Z29", "x", "beschr", "SG8 SEQ+Z79"}};
  using V = std::vector<std::string>;
  auto body = [](const Message& m) {
    V out;
    for (const auto& s : m.segments) {
      std::string t = s.tag + "+" + s.value(0);
      if (s.tag == "RFF") t += ":" + s.value(0, 1);
      out.push_back(t);
    }
    return out;
  };
  SECTION("2.1i error, message level: SG5 ACW + AGO carrying AAO and Z02") {
    a.association = "2.1i";
    CHECK(body(build_aperak(a)) == V{"BGM+313", "DTM+137", "RFF+ACE:DOC1", "DTM+171", "NAD+MS", "NAD+MR", "ERC+Z29",
                                     "FTX+ABO", "RFF+ACW:MSG1", "RFF+AGO:DOC1", "FTX+AAO", "FTX+Z02"});
  }
  SECTION("2.1i error in a Vorgang: AAO and Z02 move under SG5 RFF+TN") {
    a.association = "2.1i";
    a.transaction_ref = "VG1";
    CHECK(body(build_aperak(a)) == V{"BGM+313", "DTM+137", "RFF+ACE:DOC1", "DTM+171", "NAD+MS", "NAD+MR", "ERC+Z29",
                                     "FTX+ABO", "RFF+ACW:MSG1", "RFF+AGO:DOC1", "RFF+TN:VG1", "FTX+AAO", "FTX+Z02"});
  }
  SECTION("2.2 error: SG2 RFF+AGO (and TN), one SG5 without ACW") {
    a.association = "2.2";
    CHECK(body(build_aperak(a)) == V{"BGM+313", "DTM+137", "RFF+ACE:DOC1", "DTM+171", "RFF+AGO:DOC1", "NAD+MS",
                                     "NAD+MR", "ERC+Z29", "FTX+ABO", "RFF+AGO:DOC1", "FTX+AAO", "FTX+Z02"});
    a.transaction_ref = "VG1";
    CHECK(body(build_aperak(a)) == V{"BGM+313", "DTM+137", "RFF+ACE:DOC1", "DTM+171", "RFF+AGO:DOC1", "RFF+TN:VG1",
                                     "NAD+MS", "NAD+MR", "ERC+Z29", "FTX+ABO", "RFF+TN:VG1", "FTX+AAO", "FTX+Z02"});
    a.message_date = kAckDate22;
    a.association.clear();
    CHECK(build_aperak(a).association == "2.2");  // FV2610 by the message date
  }
  SECTION("positive: SG2 RFF+AGO and RFF+TN, same in both releases") {
    a.positive = true;
    a.errors.clear();
    a.transaction_ref = "VG1";
    for (const char* release : {"2.1i", "2.2"}) {
      a.association = release;
      CHECK(body(build_aperak(a)) ==
            V{"BGM+312", "DTM+137", "RFF+ACE:DOC1", "DTM+171", "RFF+AGO:DOC1", "RFF+TN:VG1", "NAD+MS", "NAD+MR"});
    }
  }
  SECTION("Z02 only for the AHB codes; a missing location still gets one") {
    a.association = "2.2";
    a.errors = {{"Z31", "55999", std::nullopt, std::nullopt}, {"Z35", std::nullopt, std::nullopt, std::nullopt}};
    CHECK(body(build_aperak(a)) == V{"BGM+313", "DTM+137", "RFF+ACE:DOC1", "DTM+171", "RFF+AGO:DOC1", "NAD+MS",
                                     "NAD+MR", "ERC+Z31", "FTX+ABO", "RFF+AGO:DOC1", "ERC+Z35", "RFF+AGO:DOC1",
                                     "FTX+Z02"});
    CHECK(aperak_code_needs_location("Z29"));
    CHECK_FALSE(aperak_code_needs_location("Z31"));
  }
}

TEST_CASE("APERAK free text: at most 512 characters, cut at a character boundary") {
  CHECK(aperak_free_text("kurz") == "kurz");
  CHECK(aperak_free_text("Zählpunkt \xe2\x82\xac 5 \xe2\x86\x92 x") == "Zählpunkt ? 5 ? x");  // € and → are not in UNOC
  CHECK(aperak_free_text(std::string(512, 'a')) == std::string(512, 'a'));
  CHECK(aperak_free_text(std::string(513, 'a')) == std::string(509, 'a') + "...");
  std::string umlauts;
  for (int i = 0; i < 600; ++i) umlauts += "\xc3\xa4";  // 600 x 'ä', 1200 bytes
  const std::string cut = aperak_free_text(umlauts);
  CHECK(cut.size() == 509 * 2 + 3);
  CHECK(cut.substr(cut.size() - 3) == "...");

  AperakMessage a;
  a.reference = "1";
  a.document_number = "APDOC";
  a.message_date = kAckDate;
  a.referenced_document = "DOC1";
  a.referenced_date = kDate;
  a.sender = kNb;
  a.receiver = kLf;
  a.errors = {{"Z33", std::string(700, 'v'), std::string(2000, 't'), std::nullopt}};
  const AperakMessage back = read_aperak(through_the_wire(kNb, kLf, build_aperak(a)));
  CHECK(back.errors.at(0).faulty_value->size() == 512);
  CHECK(back.errors.at(0).text->size() == 512);
}

TEST_CASE("APERAK reader takes makotest's builder output (2.1i and 2.2)") {
  // build_aperak_for of makotest 0.23 answering a UTILMD with UNH reference MSGREF7 (it puts
  // the UNH reference into RFF+ACE, ACW and AGO).
  for (const std::string release : {"2.1i", "2.2"}) {
    const std::string bytes =
        "UNA:+.? 'UNB+UNOC:3+9910960000001:500+9900467000000:500+260302:0000+1'UNH+1+APERAK:D:07B:UN:" + release +
        "'BGM+313+1'DTM+137:202603020000?+00:303'RFF+ACE:MSGREF7'DTM+171:202603020000?+00:303'"
        "NAD+MS+9910960000001::293'NAD+MR+9900467000000::293'ERC+Z29'FTX+ABO+++SG8 Produktpaket fehlt'"
        "RFF+ACW:MSGREF7'RFF+AGO:MSGREF7'FTX+Z02+++SG8 Produktpaket fehlt'UNT+13+1'UNZ+1+1'";
    const AperakMessage a = read_aperak(parse(bytes).messages.at(0));
    CHECK(a.association == release);
    CHECK_FALSE(a.positive);
    CHECK(a.referenced_document == "MSGREF7");
    CHECK(a.referenced_message == "MSGREF7");
    REQUIRE(a.errors.size() == 1);
    CHECK(a.errors[0].code == "Z29");
    CHECK(a.errors[0].faulty_value == "SG8 Produktpaket fehlt");
    CHECK(a.errors[0].location == "SG8 Produktpaket fehlt");
    CHECK(a.sender.id == "9910960000001");
  }
}

TEST_CASE("CONTRL build -> write -> parse -> view") {
  ContrlMessage c;
  c.reference = "CT1";
  c.interchange_reference = "IC77";
  c.interchange_sender = Party{"9904590000002", "500", ""};
  c.interchange_receiver = Party{"9900467000000", "500", ""};
  c.action = kContrlAccepted;
  const Message ok = through_the_wire(kNb, kLf, build_contrl(c));
  CHECK(ok.association == "2.0b");
  CHECK(ok.segments.at(0) == Segment("UCI", {Element{"IC77"}, Element{"9904590000002", "500"},
                                             Element{"9900467000000", "500"}, Element{"7"}}));
  CHECK(read_contrl(ok) == c);
  CHECK(read_contrl(ok).accepted());

  c.action = kContrlRejected;
  c.messages = {
      {"M1", "UTILMD", "D", "11A", "UN", "S2.1", "4", "", "", {{"5", "", {{"12", "2", "1"}, {"13", "3", ""}}}}},
      {"M2", "UTILMD", "D", "11A", "UN", "S2.1", "4", "29", "UNT", {}},
      {"M3", "UTILMD", "D", "11A", "UN", "", "4", "", "", {{"7", "15", {}}}}};
  const Message rejected = through_the_wire(kNb, kLf, build_contrl(c));
  const ContrlMessage back = read_contrl(rejected);
  CHECK(back == c);
  CHECK_FALSE(back.accepted());
  CHECK(rejected.segments.at(2) == Segment("UCS", {Element{"5"}}));
  CHECK(rejected.segments.at(3) == Segment("UCD", {Element{"12"}, Element{"2", "1"}}));
  CHECK(rejected.segments.at(5) == Segment("UCM", {Element{"M2"}, Element{"UTILMD", "D", "11A", "UN", "S2.1"},
                                                   Element{"4"}, Element{"29"}, Element{"UNT"}}));

  SECTION("interchange level: UCI 0085 and 0013") {
    ContrlMessage u = c;
    u.messages.clear();
    u.error_code = "7";
    u.service_segment = "UNB";
    const Message m = through_the_wire(kNb, kLf, build_contrl(u));
    CHECK(m.segments.at(0).value(4) == "7");
    CHECK(m.segments.at(0).value(5) == "UNB");
    CHECK(read_contrl(m) == u);
  }
  SECTION("errors") {
    Message bad = build_contrl(c);
    bad.segments[0].elements[3][0] = "5";
    CHECK_THROWS_WITH(read_contrl(bad), Catch::Contains("UCI action"));
    c.error_code.reset();
    c.messages.clear();
    CHECK_THROWS_WITH(read_contrl(build_contrl(c)), Catch::Contains("error code"));
    bad = build_contrl(ContrlMessage{});
    bad.segments.insert(bad.segments.begin() + 1, Segment("UCD", {Element{"12"}}));
    CHECK_THROWS_AS(read_contrl(bad), ParseError);
    bad = build_contrl(ContrlMessage{});
    bad.association = "2.0a";
    CHECK_THROWS_WITH(read_contrl(bad), Catch::Contains("CONTRL release 2.0b") && Catch::Contains("'2.0a'"));
  }
}

TEST_CASE("CONTRL reader takes makotest's build_contrl_for output") {
  const Message m = parse(
                        "UNB+UNOC:3+9910960000001:500+9900467000000:500+260302:0000+1'UNH+1+CONTRL:D:3:UN:2.0b'"
                        "UCI+DAR12345+9900467000000:500+9910960000001:500+4+12'UNT+3+1'UNZ+1+1'")
                        .messages.at(0);
  const ContrlMessage c = read_contrl(m);
  CHECK_FALSE(c.accepted());
  CHECK(c.interchange_reference == "DAR12345");
  CHECK(c.error_code == "12");
  CHECK_FALSE(c.service_segment);
}

TEST_CASE("market partners must agree between UNB and NAD") {
  Interchange ic = make_interchange(kLf, kNb, "IC1", kDate, {build_utilmd(sample_utilmd())});
  CHECK_NOTHROW(check_market_partners(ic));
  CHECK(ic.sender == Party{"9904590000002", "500", ""});

  ic.receiver.id = "9910960000001";
  const std::string bytes = write(ic);
  try {
    (void)parse(bytes);
    FAIL("expected ParseError");
  } catch (const ParseError& e) {
    CHECK(e.segment_tag() == "NAD");
    CHECK(e.segment_number() == 6);  // UNB UNH BGM DTM NAD+MS NAD+MR
    CHECK(e.byte_offset() == bytes.find("NAD+MR"));
    CHECK(e.expected().find("9910960000001") != std::string::npos);
    CHECK(e.found() == "'9900467000000'");
  }
  ParseOptions lenient;
  lenient.check_market_partners = false;
  CHECK_NOTHROW(parse(bytes, lenient));

  ic.receiver = to_party(kNb);
  ic.receiver.qualifier = "14";  // GS1 in UNB, but NAD says BDEW (293)
  CHECK_THROWS_WITH(check_market_partners(ic), Catch::Contains("code list '9'"));
}

TEST_CASE("CONTRL and APERAK direct writers match build_* + make_interchange + write") {
  auto reference = [](const MarketPartner& from, const MarketPartner& to, Message m, const std::string& ic_ref,
                      sys_seconds at = kDate) { return write(make_interchange(from, to, ic_ref, at, {std::move(m)})); };
  ContrlMessage c;
  c.reference = "1";
  c.interchange_reference = "IC77";
  c.interchange_sender = Party{"9904590000002", "500", ""};
  c.interchange_receiver = Party{"9900467000000", "500", "RT?1"};
  CHECK(write_contrl_interchange(c, kNb, kLf, "R1", kDate) == reference(kNb, kLf, build_contrl(c), "R1"));
  // rejected with message, segment and element errors; trailing empty S009 components; escapes;
  // unknown code list (empty UNB qualifier); no association at all
  c.action = kContrlRejected;
  c.error_code = "12";
  c.service_segment = "UNB";
  c.association.clear();
  c.messages = {
      {"M1", "UTILMD", "D", "11A", "UN", "S2.1", "4", "29", "UNT", {{"5", "13", {{"12", "2", "1"}, {"13", "3", ""}}}}},
      {"M'2", "UTILMD", "", "", "", "", "7", "", "", {{"6", "", {}}}},
      {"M3", "", "", "", "", "", "4", "", "UNH", {}}};
  const MarketPartner odd{"X+Y", "999"};
  CHECK(write_contrl_interchange(c, odd, kNb, "R:2", kDate + hours{15}) ==
        reference(odd, kNb, build_contrl(c), "R:2", kDate + hours{15}));
  c.interchange_reference = "\xe2\x82\xac";  // not in UNOC: both refuse
  CHECK_THROWS_AS(write_contrl_interchange(c, kNb, kLf, "R3", kDate), WriteError);
  CHECK_THROWS_AS(reference(kNb, kLf, build_contrl(c), "R3"), WriteError);

  AperakMessage a;
  a.reference = "1";
  a.positive = true;
  a.document_number = "APDOC";
  a.message_date = kAckDate;
  a.referenced_document = "DOC1";
  a.referenced_date = kDate;
  a.sender = kNb;
  a.receiver = kLf;
  CHECK(write_aperak_interchange(a, "R1", kDate) == reference(kNb, kLf, build_aperak(a), "R1"));
  a.referenced_message = "MSG?1";
  a.transaction_ref = "VG'1";
  a.positive = false;
  a.association = "2.2";
  a.sender = MarketPartner{"9800000000003", "332"};
  a.receiver = MarketPartner{"4012345000009", "9"};
  a.errors = {{"Z29", "Zählpunkt? nicht: gefunden+ 'x'", "VG1", "SG4 IDE"},
              {"Z10", std::nullopt, std::nullopt, std::nullopt},
              {"Z10", std::string{}, std::string{"VG2"}, std::nullopt}};
  CHECK(write_aperak_interchange(a, "R2", kDate + hours{20}) ==
        reference(a.sender, a.receiver, build_aperak(a), "R2", kDate + hours{20}));
  a.document_number = "\xe2\x82\xac";  // not in UNOC: both refuse (free texts are made safe instead)
  CHECK_THROWS_AS(write_aperak_interchange(a, "R3", kDate), WriteError);
  CHECK_THROWS_AS(reference(a.sender, a.receiver, build_aperak(a), "R3"), WriteError);
}
