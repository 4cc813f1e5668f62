// Lexical and structural parsing: separators, release character, layout, charsets, errors.
#include <catch2/catch.hpp>

#include <string>

#include "mako/domain/edifact/parser.hpp"

using namespace mako::edifact;

namespace {

// A minimal interchange with one message whose body is `body` (segments with terminators).
std::string minimal(const std::string& body, std::size_t body_segments, const std::string& syntax = "UNOC") {
  return "UNB+" + syntax + ":3+9904590000002:500+9900467000000:500+250602:1000+REF1'" + "UNH+M1+UTILMD:D:11A:UN:S2.1'" +
         body + "UNT+" + std::to_string(body_segments + 2) + "+M1'UNZ+1+REF1'";
}

ParseError parse_error_of(const std::string& bytes, const ParseOptions& options = {}) {
  try {
    (void)parse(bytes, options);
  } catch (const ParseError& e) {
    return e;
  }
  FAIL("expected a ParseError");
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("default separators without UNA") {
  const Interchange ic = parse(minimal("FTX+AAO+++a:b'", 1));
  CHECK_FALSE(ic.has_una);
  CHECK(ic.separators == Separators{});
  CHECK(ic.syntax_id == "UNOC");
  CHECK(ic.syntax_version == "3");
  CHECK(ic.sender == Party{"9904590000002", "500", ""});
  CHECK(ic.receiver == Party{"9900467000000", "500", ""});
  CHECK(ic.date == "250602");
  CHECK(ic.time == "1000");
  CHECK(ic.reference == "REF1");
  REQUIRE(ic.messages.size() == 1);
  const Message& m = ic.messages[0];
  CHECK(m.reference == "M1");
  CHECK(m.type == "UTILMD");
  CHECK(m.version == "D");
  CHECK(m.release == "11A");
  CHECK(m.agency == "UN");
  CHECK(m.association == "S2.1");
  REQUIRE(m.segments.size() == 1);
  const Segment& ftx = m.segments[0];
  CHECK(ftx.tag == "FTX");
  REQUIRE(ftx.elements.size() == 4);
  CHECK(ftx.elements[1] == Element{""});
  CHECK(ftx.elements[3] == Element{"a", "b"});
  CHECK(ftx.number == 3);
  CHECK(ftx.value(3, 1) == "b");
  CHECK(ftx.value(9, 9).empty());
}

TEST_CASE("separators come from UNA, not from constants") {
  const std::string bytes =
      "UNA|*,\\ ~"
      "UNB*UNOC|3*9904590000002|500*9900467000000|500*250602|1000*R~"
      "UNH*M1*UTILMD|D|11A|UN|S2.1~"
      "FTX*AAO***a\\*b\\|c\\~d\\\\e+f:g'h~"
      "UNT*3*M1~UNZ*1*R~";
  const Interchange ic = parse(bytes);
  CHECK(ic.has_una);
  CHECK(ic.separators == Separators{'|', '*', ',', '\\', ' ', '~'});
  CHECK(ic.messages.at(0).segments.at(0).value(3) == "a*b|c~d\\e+f:g'h");
}

TEST_CASE("release character escapes every separator including itself") {
  const Interchange ic = parse(minimal("FTX+AAO+++a?+b?:c?'d??e'", 1));
  CHECK(ic.messages[0].segments[0].value(3) == "a+b:c'd?e");
  CHECK(ic.messages[0].segments[0].elements[3].size() == 1);
}

TEST_CASE("CR/LF between segments is tolerated and the first line break is recorded") {
  std::string bytes = "UNA:+.? '" + minimal("FTX+AAO+++x'", 1);
  std::string with_crlf;
  for (char c : bytes) {
    with_crlf.push_back(c);
    if (c == '\'') with_crlf += "\r\n";
  }
  const Interchange ic = parse(with_crlf);
  CHECK(ic.line_break == "\r\n");
  CHECK(ic.messages[0].segments[0].value(3) == "x");

  // LF only and mixed layout parse too
  std::string lf = minimal("FTX+AAO+++x'\n\n", 1);
  CHECK(parse(lf).line_break == "");
  CHECK(parse("UNB+UNOC:3+A:500+B:500+250602:1000+R'\nUNZ+0+R'\n").line_break == "\n");
}

TEST_CASE("UNOC is transcoded from Latin-1 to UTF-8") {
  const Interchange ic = parse(minimal("FTX+AAO+++Z\xE4hler \xDF\xFC'", 1));
  CHECK(ic.messages[0].segments[0].value(3) == "Z\xC3\xA4hler \xC3\x9F\xC3\xBC");  // "Zähler ßü"
}

TEST_CASE("UTF-8 in UNOC is rejected by default, accepted as Latin-1 on request") {
  const std::string bytes = minimal("FTX+AAO+++Z\xC3\xA4hler'", 1);
  const ParseError e = parse_error_of(bytes);
  CHECK(e.segment_tag() == "FTX");
  CHECK(e.segment_number() == 3);
  CHECK(e.byte_offset() == bytes.find('\xC3'));
  CHECK(e.found().find("UTF-8 multi-byte sequence C3 A4") != std::string::npos);

  ParseOptions lenient;
  lenient.reject_utf8_in_unoc = false;
  // mojibake, but faithful: each byte is a Latin-1 character
  CHECK(parse(bytes, lenient).messages[0].segments[0].value(3) == "Z\xC3\x83\xC2\xA4hler");
}

TEST_CASE("UNOA and UNOB restrict the repertoire") {
  CHECK_NOTHROW(parse(minimal("FTX+AAO+++ABC 123.,-()/=!\"%&*;<>'", 1, "UNOA")));
  const std::string lower = minimal("FTX+AAO+++Abc'", 1, "UNOA");
  const ParseError e = parse_error_of(lower);
  CHECK(e.byte_offset() == lower.find("bc"));
  CHECK(e.expected().find("UNOA") != std::string::npos);

  CHECK_NOTHROW(parse(minimal("FTX+AAO+++Abc{}'", 1, "UNOB")));
  const std::string latin1 = minimal("FTX+AAO+++A\xE4'", 1, "UNOB");
  CHECK(parse_error_of(latin1).byte_offset() == latin1.find('\xE4'));

  const std::string tab = minimal("FTX+AAO+++A\tB'", 1);
  const ParseError t = parse_error_of(tab);
  CHECK(t.found().find("control character") != std::string::npos);
  CHECK(t.byte_offset() == tab.find('\t'));
}

TEST_CASE("UNB keeps to the repertoire it declares (found by fuzzing: write() could not write it back)") {
  // UNB is read before its S001 is known; a UNOA interchange must still have no lower case in it.
  const std::string version = minimal("FTX+AAO+++ABC'", 1, "UNOA:e3");
  const ParseError e = parse_error_of(version);
  CHECK(e.segment_number() == 1);
  CHECK(e.segment_tag() == "UNB");
  CHECK(e.byte_offset() == version.find("e3"));
  CHECK(e.expected() == "a character of the declared repertoire UNOA");
  CHECK(e.found() == "'e' (0x65)");
  std::string sender = minimal("FTX+AAO+++ABC'", 1, "UNOA");
  sender.replace(sender.find("REF1"), 4, "Ref1");
  CHECK(parse_error_of(sender).byte_offset() == sender.find("ef1"));
  CHECK_NOTHROW(parse(minimal("FTX+AAO+++Abc'", 1, "UNOB:e3")));  // UNOB has lower case
}

TEST_CASE("unknown syntax identifier is an error at UNB") {
  const ParseError e = parse_error_of(minimal("FTX+X'", 1, "UNOY"));
  CHECK(e.segment_number() == 1);
  CHECK(e.segment_tag() == "UNB");
}

TEST_CASE("ParseError carries location and renders it in what()") {
  const std::string bytes = minimal("FTX+X'", 1);
  std::string wrong = bytes;
  wrong.replace(wrong.find("UNT+3"), 5, "UNT+4");
  const ParseError e = parse_error_of(wrong);
  CHECK(e.segment_number() == 4);
  CHECK(e.byte_offset() == wrong.find("UNT"));
  CHECK(e.segment_tag() == "UNT");
  CHECK(e.expected().find("3") != std::string::npos);
  CHECK(e.found() == "'4'");
  const std::string what = e.what();
  CHECK(what.find("segment 4") != std::string::npos);
  CHECK(what.find("(UNT)") != std::string::npos);
  CHECK(what.find("byte offset " + std::to_string(wrong.find("UNT"))) != std::string::npos);
  CHECK(what.find("expected UNT segment count 3") != std::string::npos);
  CHECK(what.find("found '4'") != std::string::npos);
  const std::runtime_error& base = e;  // derives from std::runtime_error
  CHECK(std::string(base.what()) == what);
}

TEST_CASE("structural errors") {
  SECTION("not starting with UNB") {
    const ParseError e = parse_error_of("UNH+1+X'UNT+2+1'");
    CHECK(e.segment_number() == 1);
    CHECK(e.expected() == "UNB segment");
  }
  SECTION("empty input") {
    const ParseError e = parse_error_of("");
    CHECK(e.segment_number() == 1);
    CHECK(e.found() == "end of data");
  }
  SECTION("segment outside a message") {
    std::string b = minimal("FTX+X'", 1);
    b.insert(b.find("UNZ"), "FTX+Y'");
    const ParseError e = parse_error_of(b);
    CHECK(e.segment_number() == 5);
    CHECK(e.segment_tag() == "FTX");
  }
  SECTION("data after UNZ") {
    const ParseError e = parse_error_of(minimal("FTX+X'", 1) + "UNB+X'");
    CHECK(e.segment_number() == 6);
    CHECK(e.expected() == "end of data after UNZ");
  }
  SECTION("UNH missing the message type") {
    std::string b = minimal("FTX+X'", 1);
    b.replace(b.find("UTILMD:D:11A:UN:S2.1"), 20, "");
    CHECK(parse_error_of(b).segment_tag() == "UNH");
  }
  SECTION("bad tag") {
    const ParseError e = parse_error_of(minimal("ftx+X'", 1));
    CHECK(e.segment_number() == 3);
    CHECK(e.expected().find("segment tag") != std::string::npos);
  }
  SECTION("truncated UNA") {
    const ParseError e = parse_error_of("UNA:+");
    CHECK(e.segment_number() == 0);  // UNA is not counted
    CHECK(e.segment_tag() == "UNA");
    CHECK(e.byte_offset() == 5);
  }
  SECTION("UNA reusing a character") { CHECK_THROWS_AS(parse("UNA::.? 'UNB'"), ParseError); }
}

TEST_CASE("segment stream layer is usable on its own") {
  const SegmentStream s = parse_segments("UNA:+.? 'ABC+1:2'DEF'");
  CHECK(s.has_una);
  REQUIRE(s.segments.size() == 2);
  CHECK(s.segments[0] == Segment("ABC", {Element{"1", "2"}}));
  CHECK(s.segments[1].elements.empty());
  CHECK(s.segments[1].offset == 17);
  CHECK(s.segments[1].number == 2);
}
