// Charset helpers and the unusual corners of separators + charsets.
#include <catch2/catch.hpp>

#include "mako/domain/edifact/edifact.hpp"

using namespace mako::edifact;

TEST_CASE("charset identification and repertoires") {
  CHECK(charset_from_syntax_id("UNOA") == Charset::UNOA);
  CHECK(charset_from_syntax_id("UNOB") == Charset::UNOB);
  CHECK(charset_from_syntax_id("UNOC") == Charset::UNOC);
  CHECK_FALSE(charset_from_syntax_id("UNOW"));
  CHECK(to_string(Charset::UNOC) == "UNOC");

  CHECK(is_allowed_byte(Charset::UNOA, 'A'));
  CHECK_FALSE(is_allowed_byte(Charset::UNOA, 'a'));
  CHECK_FALSE(is_allowed_byte(Charset::UNOA, '#'));
  CHECK(is_allowed_byte(Charset::UNOB, 'a'));
  CHECK(is_allowed_byte(Charset::UNOB, '#'));
  CHECK_FALSE(is_allowed_byte(Charset::UNOB, 0xE4));
  CHECK(is_allowed_byte(Charset::UNOC, 0xE4));
  CHECK_FALSE(is_allowed_byte(Charset::UNOC, 0x85));  // C1 control
  CHECK_FALSE(is_allowed_byte(Charset::UNOC, '\n'));
}

TEST_CASE("UTF-8 sequence detection") {
  CHECK(utf8_sequence_length("\xC3\xA4", 0) == 2);
  CHECK(utf8_sequence_length("\xE2\x82\xAC", 0) == 3);
  CHECK(utf8_sequence_length("\xF0\x9F\x98\x80", 0) == 4);
  CHECK(utf8_sequence_length("\xC3", 0) == 0);          // truncated
  CHECK(utf8_sequence_length("\xC0\x80", 0) == 0);      // overlong
  CHECK(utf8_sequence_length("\xED\xA0\x80", 0) == 0);  // surrogate
  CHECK(utf8_sequence_length("\xE4hler", 0) == 0);      // Latin-1 'ä' followed by ASCII
  CHECK(utf8_sequence_length("a", 0) == 0);
}

TEST_CASE("Latin-1 <-> UTF-8") {
  std::string out;
  append_latin1_as_utf8("Z\xE4hler \xFF", out);
  CHECK(out == "Z\xC3\xA4hler \xC3\xBF");
  CHECK(encode_utf8(Charset::UNOC, out) == std::string("Z\xE4hler \xFF"));
  std::size_t bad = 99;
  CHECK_FALSE(encode_utf8(Charset::UNOC, "5 \xE2\x82\xAC", &bad));
  CHECK(bad == 2);
  CHECK_FALSE(encode_utf8(Charset::UNOB, "\xC3\xA4", &bad));
  CHECK(encode_utf8(Charset::UNOA, "ABC") == std::string("ABC"));
  CHECK_FALSE(encode_utf8(Charset::UNOA, "abc"));
}

TEST_CASE("a Latin-1 separator is escaped, transcoded and round-trips") {
  // component separator 0xA4 ('¤'); data containing '¤' must be escaped
  Interchange ic;
  ic.separators.component = '\xA4';
  ic.sender = Party{"S", "500", ""};
  ic.receiver = Party{"R", "500", ""};
  ic.date = "250602";
  ic.time = "1000";
  ic.reference = "R1";
  Message m;
  m.reference = "M1";
  m.type = "UTILMD";
  m.segments.push_back(Segment("FTX", {Element{"AAO"}, Element{"x\xC2\xA4y", "z"}}));  // "x¤y":"z"
  ic.messages.push_back(m);
  const std::string bytes = write(ic);
  CHECK(bytes.find("FTX+AAO+x?\xA4y\xA4z'") != std::string::npos);
  const Interchange back = parse(bytes);
  CHECK(back == ic);
  CHECK(write(back) == bytes);
}

TEST_CASE("a Latin-1 separator equal to a UTF-8 lead byte does not escape that byte") {
  // Found by the fuzzer: release character 0xC2 ('Â') and a value holding '¹' (Latin-1 0xB9),
  // held as UTF-8 "\xC2\xB9". The writer must compare separators with the decoded character,
  // not with the UTF-8 bytes, and escape only a real 'Â'.
  Interchange ic;
  ic.separators.release = '\xC2';
  ic.sender = Party{"S", "500", ""};
  ic.receiver = Party{"R", "500", ""};
  ic.date = "250602";
  ic.time = "1000";
  ic.reference = "R1";
  Message m;
  m.reference = "M1";
  m.type = "UTILMD";
  m.segments.push_back(Segment("FTX", {Element{"AAO"}, Element{"x\xC2\xB9y\xC3\x82z"}}));  // "x¹yÂz"
  ic.messages.push_back(m);
  const std::string bytes = write(ic);
  CHECK(bytes.find("FTX+AAO+x\xB9y\xC2\xC2z'") != std::string::npos);
  const Interchange back = parse(bytes);
  CHECK(back == ic);
  CHECK(write(back) == bytes);
}
