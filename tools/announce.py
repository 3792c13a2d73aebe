"""`make run`'s last words: once the site answers, print its address and the demo logins.

Usage: python tools/announce.py URL LOGINS_FILE (the output of `flask --app web seed-demo`).
"""
import sys
import time
import urllib.request
from pathlib import Path

RULE = "-" * 72


def wait_until_up(url: str, timeout: float = 90.0) -> bool:
    """Poll the health check until it answers 200 (the server and its database are up)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return True
        except OSError:  # not listening yet, or 503 while the database is unreachable
            pass
        time.sleep(0.5)
    return False


def main(url: str, logins: Path, timeout: float = 90.0, settle: float = 1.0) -> int:
    """Print the banner; 1 when the site never answered."""
    if not wait_until_up(url, timeout):
        print(f"{url} did not answer within {timeout:.0f} s: see the messages above",
              file=sys.stderr)
        return 1
    time.sleep(settle)  # let the other workers' start-up lines go first
    text = logins.read_text(encoding="utf-8").strip() if logins.exists() else ""
    print(f"\n{RULE}\n北京法网 is running: open {url}/\n\n{text}\n\nStop with Ctrl-C.\n{RULE}",
          flush=True)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1].rstrip("/"), Path(sys.argv[2])))
    except KeyboardInterrupt:
        sys.exit(130)
