"""Runs the benchmark at one scale, all set-up included, and checks the performance targets
(bench/_targets.py).

Usage: make bench SCALE=10k   (or .venv/bin/python bench/run.py --scale 10k [options])

Generates the CMDB (bench/generate.py), starts its own embedded Neo4j sized for it with a
throw-away data folder under bench/out/, applies the migrations, loads the graph through the
product's import, serves the product's API under uvicorn, and measures each question with
concurrent HTTP clients; then the peer (bench/peer/, the Neo4j GraphQL Library) with the same
clients against the same Neo4j, and the floor (an in-memory breadth-first search). Writes
bench/RESULTS.md, bench/results.json (keeping other scales) and bench/impact_latency.png.
Everything it starts, it stops; it sends requests to loopback only.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._runner import main

if __name__ == "__main__":
    # A line at a time even into a file or pipe: a run at 1m takes many minutes.
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    sys.exit(main())
