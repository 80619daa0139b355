"""Run a snippet in fresh interpreters under different hash seeds (determinism tests)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HASH_SEEDS = ("1", "2")


def outputs_across_hash_seeds(script: str, *args: str, cwd: Path | None = None) -> set[str]:
    """The set of stdouts of ``python -c SCRIPT ARGS`` under each PYTHONHASHSEED:
    one element if the output does not depend on the process."""
    return {
        subprocess.run(
            [sys.executable, "-c", script, *args],
            capture_output=True,
            text=True,
            check=True,
            cwd=cwd,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in HASH_SEEDS
    }
