"""The benchmarks `make bench` runs start and print their figures (tiny sizes: this checks
they work as a user runs them, not how fast anything is)."""
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIGURE = r"^{name}: [0-9.]+ \("


def _run(*args: str) -> str:
    done = subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_the_engine_benchmark_prints_its_targets():
    out = _run("bench/engine_bench.py", "-n", "1", "--rounds", "1", "--no-postgres",
               "--collector", "3")
    for name in ("engine_sqlite_ratio", "state_bytes_per_waiting_instance"):
        assert re.search(FIGURE.format(name=name), out, re.MULTILINE), out
    assert re.search(r"SQLite file: per completion [0-9.]+ statements, .* pages written", out)
    assert re.search(r"garbage collection [0-9.]+% of 3 more lifecycles' time", out), out


def test_the_me_benchmark_prints_the_web_stacks_cost():
    out = _run("bench/me_cpu.py", "-n", "20", "--rounds", "1")
    assert re.search(FIGURE.format(name="me_in_process_cpu_ms_sqlite"), out, re.MULTILINE), out


def test_the_live_cache_memory_benchmark_prints_its_figure():
    out = _run("bench/live_memory.py", "-n", "3")
    # the waiting consultations' workflows are in the cache: a size, not an empty cache's 0
    assert re.search(r"^3 consultations' workflows cached", out, re.MULTILINE), out
    figure = re.search(r"^live_cache_kb_per_consultation: (\d+) \(", out, re.MULTILINE)
    assert figure and int(figure.group(1)) > 10, out


def test_the_reload_benchmark_prints_its_ratio():
    out = _run("bench/state_reload.py", "-n", "2", "--rounds", "2")
    assert re.search(FIGURE.format(name="state_reload_ratio"), out, re.MULTILINE), out


def test_the_collector_benchmark_compares_a_frozen_worker():
    out = _run("bench/gc_pauses.py", "-n", "3")
    for side in ("as loaded", "gc.freeze() after loading"):
        assert re.search(rf"^{re.escape(side)} +: collector [0-9.]+% of the time, longest pause "
                         r"[0-9.]+ ms$", out, re.MULTILINE), out
