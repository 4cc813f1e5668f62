"""Every C++ test case becomes a ctest entry under its name (catch_discover_tests in
tests/cpp/CMakeLists.txt), and CMake splits a name at ';' as a list: the case then runs as two
entries that match nothing and fail. So no test case name may hold a ';'."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# TEST_CASE("name" ...) and TEMPLATE_LIST_TEST_CASE("name" ...), the name possibly in several literals.
CASE = re.compile(r'\b(?:TEMPLATE_LIST_)?TEST_CASE\(\s*((?:"(?:[^"\\]|\\.)*"\s*)+)')


def case_names(text: str) -> list[str]:
    return ["".join(re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(1))) for m in CASE.finditer(text)]


def test_no_cpp_test_case_name_holds_a_semicolon() -> None:
    files = sorted((ROOT / "tests" / "cpp").rglob("*.[ch]pp"))
    names = {f"{p.relative_to(ROOT)}: {n}" for p in files for n in case_names(p.read_text(encoding="utf-8"))}
    assert len(names) > 300  # the scan finds the cases
    assert [n for n in names if ";" in n] == []


def test_the_scan_reads_names_split_over_literals() -> None:
    text = 'TEST_CASE("postgres: one; "\n          "two", "[tag]") {}\nTEMPLATE_LIST_TEST_CASE("three", "[x]", T) {}'
    assert case_names(text) == ["postgres: one; two", "three"]
