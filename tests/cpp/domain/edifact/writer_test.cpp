// Writer: escaping, charset encoding, byte-for-byte round trips.
#include <catch2/catch.hpp>

#include "mako/domain/edifact/corpus.hpp"
#include "mako/domain/edifact/parser.hpp"
#include "mako/domain/edifact/writer.hpp"

using namespace mako::edifact;

namespace {

Interchange small_interchange() {
  Interchange ic;
  ic.sender = Party{"9904590000002", "500", ""};
  ic.receiver = Party{"9900467000000", "500", ""};
  ic.date = "250602";
  ic.time = "1000";
  ic.reference = "R1";
  Message m;
  m.reference = "M1";
  m.type = "UTILMD";
  m.version = "D";
  m.release = "11A";
  m.agency = "UN";
  m.association = "S2.1";
  m.segments.emplace_back("FTX", std::vector<Element>{Element{"AAO"}, Element{""}, Element{""}, Element{"a+b:c'd?e"}});
  ic.messages.push_back(m);
  return ic;
}

}  // namespace

TEST_CASE("writer escapes separators and recomputes UNT/UNZ") {
  const std::string out = write(small_interchange());
  CHECK(out ==
        "UNA:+.? '"
        "UNB+UNOC:3+9904590000002:500+9900467000000:500+250602:1000+R1'"
        "UNH+M1+UTILMD:D:11A:UN:S2.1'"
        "FTX+AAO+++a?+b?:c?'d??e'"
        "UNT+3+M1'"
        "UNZ+1+R1'");
}

TEST_CASE("writer honours separators, UNA flag and line breaks") {
  Interchange ic = small_interchange();
  ic.has_una = false;
  ic.line_break = "\n";
  const std::string out = write(ic);
  CHECK(out.rfind("UNB+", 0) == 0);
  CHECK(out.find("UNT+3+M1'\nUNZ+1+R1'\n") != std::string::npos);

  ic.has_una = true;
  ic.separators = Separators{'|', '*', ',', '\\', ' ', '~'};
  const std::string custom = write(ic);
  CHECK(custom.rfind("UNA|*,\\ ~\n", 0) == 0);
  CHECK(custom.find("FTX*AAO***a+b:c'd?e~") != std::string::npos);
  CHECK(parse(custom) == ic);
}

TEST_CASE("writer encodes UTF-8 as Latin-1 for UNOC and rejects what the charset cannot hold") {
  Interchange ic = small_interchange();
  ic.messages[0].segments[0].elements[3] = {"Z\xC3\xA4hler"};  // "Zähler"
  const std::string out = write(ic);
  CHECK(out.find("FTX+AAO+++Z\xE4hler'") != std::string::npos);
  CHECK(parse(out) == ic);

  ic.messages[0].segments[0].elements[3] = {"5 \xE2\x82\xAC"};  // "5 €" is not in ISO 8859-1
  CHECK_THROWS_AS(write(ic), WriteError);
  ic.messages[0].segments[0].elements[3] = {"bad \xC3"};  // invalid UTF-8
  CHECK_THROWS_AS(write(ic), WriteError);

  ic.syntax_id = "UNOA";
  ic.messages[0].segments[0].elements[3] = {"lower"};
  CHECK_THROWS_AS(write(ic), WriteError);
  ic.messages[0].segments[0].elements[3] = {"UPPER"};
  CHECK_NOTHROW(write(ic));
  ic.syntax_id = "UNOX";
  CHECK_THROWS_AS(write(ic), WriteError);
}

TEST_CASE("every corpus example round-trips byte for byte") {
  for (const auto& ex : corpus::gpke_examples()) {
    INFO(ex.name);
    const Interchange ic = parse(ex.bytes);
    CHECK(write(ic) == ex.bytes);
    CHECK(parse(write(ic)) == ic);
  }
}

TEST_CASE("canonical hand-written files round-trip byte for byte") {
  const std::string no_una =
      "UNB+UNOC:3+9904590000002:500:ROUTE+9900467000000:500+250602:1000+R1++TL'"
      "UNH+M1+UTILMD:D:11A:UN:S2.1+CAR1'DTM+137:202506021000?+00:303'UNT+3+M1'"
      "UNH+M2+UTILMD:D:11A:UN'UNT+2+M2'"
      "UNZ+2+R1'";
  const Interchange ic = parse(no_una);
  CHECK(ic.sender.routing == "ROUTE");
  CHECK(ic.header_extra == std::vector<Element>{Element{""}, Element{"TL"}});
  CHECK(ic.messages[0].header_extra == std::vector<Element>{Element{"CAR1"}});
  CHECK(ic.messages[1].association.empty());
  CHECK(write(ic) == no_una);

  std::string crlf;
  for (char c : "UNA:+.? '" + no_una) {
    crlf.push_back(c);
    if (c == '\'' && crlf.size() > 9) crlf += "\r\n";
    if (crlf.size() == 9) crlf += "\r\n";
  }
  CHECK(write(parse(crlf)) == crlf);
}

TEST_CASE("mixed newline styles are normalised to the first one") {
  const std::string mixed = "UNB+UNOC:3+A:500+B:500+250602:1000+R'\nUNZ+0+R'\r\n";
  CHECK(write(parse(mixed)) == "UNB+UNOC:3+A:500+B:500+250602:1000+R'\nUNZ+0+R'\n");
}
