"""Where the Python benchmarks put their figures: each appends one Markdown section to the results
file bench/run.sh names (bench/RESULTS.md by default), and prints it."""

from __future__ import annotations

from pathlib import Path
from typing import List


def append_section(path: Path, lines: List[str]) -> None:
    text = "\n".join(lines).rstrip("\n") + "\n\n"
    print(text)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as f:
        f.write(text)
