"""The short load suite (bench/load_suite.py --short) as a test: no errors, runaways stopped, /health answering.

No timing is asserted: the figures are the benchmark's to report (docs/reliability.md).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]


def test_the_short_load_suite_holds() -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "load_suite.py"),
            "--short",
            "--json",
            "--corpus",
            str(ROOT / "tests" / "data" / "corpus"),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    measured = json.loads(done.stdout)
    assert measured["triples"] > 0
    levels = measured["levels"]
    assert [level["clients"] for level in levels] == [1, 8, 64]
    for level in levels:
        assert level["health_failures"] == 0 and level["health_polls"] > 0
        assert level["runaway_statuses"] == [503, 503]  # each stopped at the time limit, none a 500
        for kind, figures in level["kinds"].items():
            assert figures["errors"] == 0, (level["clients"], kind, figures)
            assert figures["requests"] > 0
