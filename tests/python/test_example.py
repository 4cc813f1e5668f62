"""The seed example runs and tells the documented story."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "python" / "process_lifecycle.py"


def test_process_lifecycle_example(tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, str(EXAMPLE), str(tmp_path / "lc.sqlite")], capture_output=True, text=True,
                         timeout=600)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    text = out.stdout
    assert lines[0].startswith("spawned:             process/fe8e3ebf-6810-5492-b4d7-99f890d3ffc3/")
    assert "after Activate:      Active (2 events, last: Activated #2)" in text
    assert "snapshot taken:      True" in text
    assert "resumed:             Active (2 events)" in text
    assert "execute_with:        Deactivated, correlation e7a32fa6-fd4a-5801-b9e9-205f60a67183" in text
    assert "execute_with_retry:  Activated #4, activations 2" in text
    assert "is_workflow_error:   true" in text
    assert "is_invalid_state:    true (expected Registered or Inactive, actual New)" in text
    assert "is_version_conflict: false" in text
    assert "fresh process:       0 events (nothing written)" in text
    assert (tmp_path / "lc.sqlite").exists()
