"""docs/architecture.md stays a true map: every repository path it names exists, and every public
header has its line in the "where is X" table. Plain files only (no compiled module needed)."""

from __future__ import annotations

import glob
import re
from pathlib import Path
from typing import List, Tuple

import pytest

ROOT = Path(__file__).resolve().parents[2]
MAP = ROOT / "docs" / "architecture.md"
# Documents whose backticked repository paths must exist too.
DOCS = [MAP, ROOT / "docs" / "mako-domain.md", ROOT / "docs" / "open-questions.md"]

# A backticked token that looks like a path: no spaces, at least one "/".
_TOKEN = re.compile(r"`([^`\s]+/[^`\s]*)`")
# What a file reference ends with; a token with one of these that does not start at the top of
# the repository is a relative path, which a reader cannot follow in one step.
_FILE_SUFFIXES = (".cpp", ".hpp", ".py", ".pyi", ".md", ".txt", ".toml", ".ipynb", ".cmake", ".in", ".sh")


def _roots() -> set:
    return {p.name for p in ROOT.iterdir() if not p.name.startswith(".") or p.name == ".ci"}


def repository_paths(text: str) -> Tuple[List[str], List[str]]:
    """(paths from the top of the repository, file-like tokens that are not) in ``text``."""
    roots = _roots()
    paths, relative = [], []
    for token in _TOKEN.findall(text):
        token = re.sub(r":\d+$", "", token.rstrip(".,;:"))  # path:line -> path
        first = token.split("/", 1)[0]
        if first in roots:
            paths.append(token)
        elif token.endswith(_FILE_SUFFIXES) and not token.startswith(("<", "http")):
            relative.append(token)
    return paths, relative


def _exists(path: str) -> bool:
    if "<" in path:  # a template such as cpp/src/core/in_memory_<x>_store.cpp: its folder must exist
        return (ROOT / path[: path.index("<")].rsplit("/", 1)[0]).is_dir()
    if any(c in path for c in "*?["):
        return bool(glob.glob(str(ROOT / path)))
    return (ROOT / path.rstrip("/")).exists()


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_path_the_docs_name_exists(doc: Path) -> None:
    paths, relative = repository_paths(doc.read_text(encoding="utf-8"))
    if doc == MAP:
        assert len(paths) > 100, "the map names far fewer files than it should: is the pattern broken?"
    missing = sorted({p for p in paths if not _exists(p)})
    assert not missing, f"{doc.name} names files that do not exist (renamed or removed?): {missing}"
    assert not relative, f"{doc.name}: write these paths from the top of the repository: {sorted(set(relative))}"


def test_every_public_header_is_on_the_map() -> None:
    text = MAP.read_text(encoding="utf-8")
    named = set(repository_paths(text)[0])
    headers = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "cpp" / "include" / "mako").rglob("*.hpp"))
    assert len(headers) > 100
    missing = [h for h in headers if h not in named]
    assert not missing, f"headers missing from the 'where is X' table of docs/architecture.md: {missing}"


def test_the_path_pattern_finds_paths_and_flags_relative_ones() -> None:
    text = ("see `cpp/src/sqlite/commit_writer.cpp`, `cpp/src/nowhere/gone.cpp`, `calendar/gpke_answer_deadlines.hpp`, "
            "`process/{tenant}/{process}` and `<root>/<partner>/inbox/`.")
    paths, relative = repository_paths(text)
    assert paths == ["cpp/src/sqlite/commit_writer.cpp", "cpp/src/nowhere/gone.cpp"]
    assert relative == ["calendar/gpke_answer_deadlines.hpp"]
    assert _exists(paths[0]) and not _exists(paths[1])
    assert _exists("cpp/src/core/in_memory_<x>_store.cpp") and not _exists("cpp/src/nowhere/<x>.cpp")


def test_every_open_question_marker_in_the_code_points_at_the_list() -> None:
    """A "(verify)" or TODO marker in the code says where the question is written down."""
    marker = re.compile(r"\(verify\b|\bverify\)|\bTODO\b|\bto verify\b")
    unlinked = []
    for pattern in ("cpp/**/*.[ch]pp", "python/**/*.py", "tests/**/*.py", "tests/cpp/**/*.[ch]pp"):
        for path in ROOT.glob(pattern):
            if path.resolve() == Path(__file__).resolve():
                continue
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
            for i, line in enumerate(lines):
                if marker.search(line) and "open-questions.md" not in " ".join(lines[i:i + 3]):
                    unlinked.append(f"{path.relative_to(ROOT)}:{i + 1}")
    assert not unlinked, f"markers without a pointer to docs/open-questions.md: {unlinked}"


def test_every_open_question_location_still_holds_its_pointer() -> None:
    """Each `file:line` in docs/open-questions.md is the line of that file with the marker, and the
    marker points back (on that line or the two after it): a question cannot silently lose its
    place in the code."""
    text = (ROOT / "docs" / "open-questions.md").read_text(encoding="utf-8")
    locations = re.findall(r"`([\w./-]+):(\d+)`", text)
    assert len(locations) >= 6
    stale = []
    for path, line in locations:
        lines = (ROOT / path).read_text(encoding="utf-8").splitlines()
        n = int(line)
        if (not 1 <= n <= len(lines) or not re.search(r"\(verify|open-questions\.md", lines[n - 1])
                or "open-questions.md" not in " ".join(lines[n - 1:n + 2])):
            stale.append(f"{path}:{line}")
    assert not stale, f"docs/open-questions.md points at lines that no longer hold their marker: {stale}"
