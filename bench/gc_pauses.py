"""Garbage-collection pauses of a web worker, in process, with and without gc.freeze().

Consultations through the API with Flask's test client (as `bench/http_profile.py` runs them)
on a scratch SQLite file, in two fresh processes: one as the app comes up, one with what it
loaded kept out of collection (`gc.freeze()`, as gunicorn.conf.py's post_worker_init does).
Prints the collector's share of the time and its longest pause, which a request that meets a
full collection waits out.

    python bench/gc_pauses.py [-n 300]
"""
import argparse
import gc
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.http_profile import cycle, setup  # noqa: E402


def one_run(n: int, freeze: bool) -> str:
    spent, longest, began = [0.0], [0.0], [0.0]

    def timing(phase: str, _info: dict) -> None:
        if phase == "start":
            began[0] = time.perf_counter()
        else:
            pause = time.perf_counter() - began[0]
            spent[0] += pause
            longest[0] = max(longest[0], pause)

    with tempfile.TemporaryDirectory() as tmp:
        client, citizen, lawyers = setup(f"sqlite:///{tmp}/gc.db")
        for _ in range(10):  # warm, as a worker is after its first requests
            cycle(client, citizen, lawyers)
        if freeze:
            gc.collect()
            gc.freeze()
        gc.callbacks.append(timing)
        started = time.perf_counter()
        for _ in range(n):
            cycle(client, citizen, lawyers)
        wall = time.perf_counter() - started
    return (f"{'gc.freeze() after loading' if freeze else 'as loaded':26}: collector "
            f"{spent[0] / wall:.1%} of the time, longest pause {longest[0] * 1000:.1f} ms")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=300, help="consultations per process")
    ap.add_argument("--one", choices=("plain", "frozen"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(one_run(args.n, args.one == "frozen"))
        return
    print(f"{args.n} consultations in process, each side in a fresh process:")
    for side in ("plain", "frozen"):
        subprocess.run([sys.executable, __file__, "-n", str(args.n), "--one", side], check=True)


if __name__ == "__main__":
    main()
