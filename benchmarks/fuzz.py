"""The fuzz properties of tests/test_fuzz.py on many more cases; prints how many ran and how many failed.

    .venv/bin/python benchmarks/fuzz.py [--examples 10000]

Each of the three hypothesis properties (any text, any bytes as .txt/.pdf/.xlsx/.md, mutated samples) runs
--examples cases.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--examples", type=int, default=10_000)
    args = parser.parse_args()
    env = {**os.environ, "CRUSCOTTO_FUZZ_EXAMPLES": str(args.examples)}
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "pytest", "-q", "tests/test_fuzz.py", "-k",
                          "any_text or any_bytes or mutated", "-p", "no:cacheprovider"],
                         cwd=ROOT, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    print(out.stdout.strip().splitlines()[-1])
    print(f"fuzzed inputs: {3 * args.examples} ({args.examples} per property), {elapsed:.0f} s, "
          f"exit code {out.returncode}")
    if out.returncode:
        print(out.stdout[-4000:])


if __name__ == "__main__":
    main()
