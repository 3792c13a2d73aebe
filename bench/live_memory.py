"""Memory the cache of live workflows holds per consultation, in-process.

Consultations through the API with Flask's test client (as `bench/http_profile.py` runs them),
answered and waiting for the citizen's rating (a finished one is not kept), on a scratch
SQLite file or `--db URL`; then the memory that emptying the cache frees (tracemalloc), per
cached workflow. Each gunicorn worker keeps up to `live._MAX` of them, so
this is what a worker's memory grows by before it levels off.

    python bench/live_memory.py [--db URL] [-n 40]
"""
import argparse
import gc
import sys
import tempfile
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.http_profile import cycle, setup  # noqa: E402
from engine.workflow import live  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", help="database URL (default: a scratch SQLite file)")
    ap.add_argument("-n", type=int, default=40, help="consultations")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        client, citizen, lawyers = setup(args.db or f"sqlite:///{tmp}/live.db")
        for _ in range(3):  # warm: compiled statements, caches of specs and scripts
            cycle(client, citizen, lawyers)
        live.clear()
        gc.collect()
        tracemalloc.start()
        for _ in range(args.n):
            cycle(client, citizen, lawyers, rate=False)
        gc.collect()
        held, kept = tracemalloc.get_traced_memory()[0], len(live._live)
        live.clear()
        gc.collect()
        freed = held - tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
    per = freed / max(kept, 1) / 1024
    print(f"{kept} consultations' workflows cached: {freed / 2**20:.1f} MB; a worker keeps up "
          f"to {live._MAX}, about {per * live._MAX / 1024:.0f} MB")
    print(f"live_cache_kb_per_consultation: {per:.0f} (a worker's cache: {live._MAX} of them)")


if __name__ == "__main__":
    main()
