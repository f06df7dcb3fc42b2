"""The build benchmark's harness at its smallest: it runs and writes what it says (no timings are checked)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_build_benchmark_writes_its_table_and_measures(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--scale", "1", "--reference-limit", "0", "--out", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    (scale,) = json.loads((tmp_path / "bench-scale.json").read_text(encoding="utf-8"))
    assert scale["scale"] == 1
    assert scale["fast"]["documents"] == 5
    assert scale["add_one"]["documents"] == 6
    assert scale["fast"]["asserted"] > 0 and scale["fast"]["peak_mib"] > 0
    assert scale["reference"] is None and scale["reference_note"] == "not run"
    assert set(scale["ratios"]) == {"corpus-wide share", "add one / full build"}
    table = (tmp_path / "bench-scale.md").read_text(encoding="utf-8")
    assert table in done.stdout
    assert "| x1 | 5 |" in table
