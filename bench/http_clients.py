"""Load clients for the HTTP benchmark: threads on keep-alive connections (stdlib only).

Each client runs whole consultations through the JSON API, as the three people would:
the citizen submits and reads it, the lawyer finds it in the inbox, opens and answers it,
the citizen finds the rating task and rates. Latencies are kept per endpoint.
"""
import http.client
import json
import random
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field

CATEGORIES = ("labor", "contract", "family", "property")


class Api:
    """One keep-alive connection with a bearer token; records each call's latency."""

    def __init__(self, port: int, stats: "Stats", token: str | None = None):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.stats, self.token = stats, token

    def call(self, method: str, path: str, label: str, body=None, expect=200):
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        payload = json.dumps(body).encode() if body is not None else None
        start = time.perf_counter()
        try:
            response = self._send(method, path, payload, headers)
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # The server closed an idle keep-alive connection before reading this request
            # (gunicorn's keepalive timeout): nothing was processed, so send it again.
            self.conn.close()
            response = self._send(method, path, payload, headers)
        data = response.read()
        self.stats.add(label, time.perf_counter() - start)
        if response.status != expect:
            raise RuntimeError(f"{method} {path}: {response.status} {data[:300]!r}")
        return json.loads(data) if data else None


    def _send(self, method, path, payload, headers):
        self.conn.request(method, path, body=payload, headers=headers)
        return self.conn.getresponse()


def login(port: int, stats: "Stats", username: str, password: str) -> str:
    api = Api(port, stats)
    return api.call("POST", "/api/v1/auth/token", "POST /auth/token",
                    {"username": username, "password": password})["token"]


@dataclass
class Stats:
    samples: dict = field(default_factory=lambda: defaultdict(list))
    lock: threading.Lock = field(default_factory=threading.Lock)
    completions: int = 0
    errors: list = field(default_factory=list)

    def add(self, label: str, seconds: float) -> None:
        with self.lock:
            self.samples[label].append(seconds)

    def completed(self) -> None:
        with self.lock:
            self.completions += 1

    def table(self) -> list[tuple[str, int, float, float]]:
        """(endpoint, count, p50 ms, p95 ms), busiest first."""
        rows = []
        for label, values in self.samples.items():
            ordered = sorted(values)
            rows.append((label, len(ordered), percentile(ordered, 0.50),
                         percentile(ordered, 0.95)))
        return sorted(rows, key=lambda r: -r[1])


def percentile(ordered: list[float], q: float) -> float:
    """The q-quantile of sorted seconds, in milliseconds."""
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def consultation(citizen: Api, lawyers: dict[str, Api], stats: Stats, n: int) -> None:
    """One consultation from question to rating: two task completions."""
    cid = citizen.call("POST", "/api/v1/consultations", "POST /consultations", {
        "title": f"压测咨询 {n}", "question": "公司拖欠工资三个月，应当如何维权？",
        "category": random.choice(CATEGORIES), "case_status": "none",
        "contact_phone": "13900000000"}, expect=201)["id"]
    detail = citizen.call("GET", f"/api/v1/consultations/{cid}", "GET /consultations/{id}")
    lawyer = lawyers[detail["lawyer"]]
    inbox = lawyer.call("GET", "/api/v1/tasks", "GET /tasks")
    task = next(t for t in inbox if t["consultation_id"] == cid)
    shown = lawyer.call("GET", f"/api/v1/tasks/{task['id']}", "GET /tasks/{id}")
    lawyer.call("POST", f"/api/v1/tasks/{task['id']}/complete", "POST /tasks/{id}/complete", {
        "data": {"decision": "answer", "answer_text": "可向劳动争议仲裁委员会申请仲裁。"},
        "revision": shown["revision"]})
    stats.completed()
    mine = citizen.call("GET", "/api/v1/tasks", "GET /tasks")
    rate = next(t for t in mine if t["consultation_id"] == cid and t["key"] == "rate_answer")
    citizen.call("POST", f"/api/v1/tasks/{rate['id']}/complete", "POST /tasks/{id}/complete",
                 {"data": {"satisfied": True, "feedback_comment": "满意"}})
    stats.completed()


def run_floor(port: int, tokens: list[str], seconds: float, stats: Stats) -> float:
    """The web stack alone: every client calls GET /api/v1/me (token check, one small query,
    JSON) as fast as it can for `seconds`; returns the wall time. What no workflow work is
    added to, so it bounds the requests per second any endpoint can reach on this machine."""
    deadline = time.perf_counter() + seconds

    def client(token: str) -> None:
        api = Api(port, stats, token)
        while time.perf_counter() < deadline:
            api.call("GET", "/api/v1/me", "GET /me")

    threads = [threading.Thread(target=client, args=(t,)) for t in tokens]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - start


def run_clients(port: int, citizens: list[tuple[str, str]], lawyer_tokens: dict[str, str],
                per_client: int, stats: Stats) -> float:
    """Start one thread per citizen; return the wall time of the whole run."""
    def client(username: str, token: str) -> None:
        citizen = Api(port, stats, token)
        lawyers = {name: Api(port, stats, t) for name, t in lawyer_tokens.items()}
        for n in range(per_client):
            try:
                consultation(citizen, lawyers, stats, n)
            except Exception as exc:  # keep going; the report lists failures
                with stats.lock:
                    stats.errors.append(f"{username}: {exc}")
                citizen = Api(port, stats, token)
                lawyers = {name: Api(port, stats, t) for name, t in lawyer_tokens.items()}

    threads = [threading.Thread(target=client, args=c) for c in citizens]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - start
