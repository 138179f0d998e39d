"""Password guessing against the editor login (issue 10, item 9): how many guesses get hashed, how many are
refused, and whether the right password still gets in afterwards.

    python benchmarks/password_guessing.py [--guesses 200] [--threads 8] [--seconds 30]

Three runs, each with a fresh limiter (the dashboard's settings) and the real PBKDF2 check:
- spread: the reported attack, `guesses` wrong passwords spread over `seconds` from `threads` threads, each
  thread a new session (what eight websockets from one browser are when Streamlit sees no IP address);
- burst: the same guesses fired as fast as the threads can;
- one IP: the spread guesses all from one known IP address.
After each run the right password is tried once (from the same IP in the last run, else from a new session). Failures are written to a scratch database's audit trail,
as the dashboard does.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cruscotto import auth, db                                    # noqa: E402
from cruscotto.login_limits import Limiter, LoginLimits          # noqa: E402

PASSWORD = "la-password-giusta"


def run(label: str, guesses: int, threads: int, seconds: float, same_ip: bool) -> None:
    limiter = Limiter(LoginLimits.from_env())
    verdicts, hashed, lock = Counter(), [0], threading.Lock()
    begin, pbkdf2 = limiter.begin, hashlib.pbkdf2_hmac

    def counted_begin(key):
        verdict = begin(key)
        with lock:
            verdicts["checked" if verdict.allowed else f"refused ({verdict.reason}, {verdict.scope})"] += 1
        return verdict

    def counted_hash(*args, **kwargs):
        with lock:
            hashed[0] += 1
        return pbkdf2(*args, **kwargs)

    limiter.begin = counted_begin
    hashlib.pbkdf2_hmac = counted_hash
    accepted = Counter()
    start = time.perf_counter()
    cpu = time.process_time()

    def attacker(number: int) -> None:
        client = auth.Client("ip:192.0.2.7", "192.0.2.7") if same_ip else None
        for n in range(number, guesses, threads):
            if seconds:
                delay = start + n * seconds / guesses - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
            session = client or auth.Client(f"session:{number}-{n}", f"sessione {number}-{n}")
            outcome = auth.attempt_login("Direttore Generale", f"tentativo {n}", session, "password", limiter)
            with lock:
                accepted[outcome.editor is not None] += 1

    workers = [threading.Thread(target=attacker, args=(t,)) for t in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    limiter.begin = begin
    editor = auth.Client("ip:192.0.2.7", "192.0.2.7") if same_ip else auth.Client("session:editor", "sessione editor")
    right = auth.attempt_login("Maria Rossi", PASSWORD, editor, "password", limiter)
    hashlib.pbkdf2_hmac = pbkdf2
    with db.reading() as con:
        lines = dict(con.execute("SELECT action, count(*) FROM changes GROUP BY ALL").fetchall())
    with db.writing() as con:
        con.execute("DELETE FROM changes")
    print(f"\n{label}: {guesses} wrong guesses from {threads} threads"
          + (f" over {seconds:.0f} s" if seconds else ", as fast as possible") + f", in {elapsed:.1f} s "
          f"(process CPU {cpu:.1f} s)")
    for what, count in sorted(verdicts.items()):
        print(f"  {what:<28} {count:>4}")
    print(f"  PBKDF2 hashes computed       {hashed[0]:>4}")
    print(f"  wrong guesses accepted       {accepted[True]:>4}")
    print(f"  audit lines written          {lines}")
    print(f"  right password afterwards    {'accepted' if right.editor else 'refused: ' + right.message}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--guesses", type=int, default=200)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["CRUSCOTTO_DB"] = str(Path(tmp) / "guessing.duckdb")
        os.environ["CRUSCOTTO_EDITOR_PASSWORD_HASH"] = auth.hash_password(PASSWORD)
        os.environ.pop("CRUSCOTTO_EDITORS_FILE", None)
        db.connect(db.db_path()).close()
        limits = LoginLimits.from_env()
        print(f"limits: per client {limits.client}\n        everyone   {limits.everyone}")
        run("spread", args.guesses, args.threads, args.seconds, same_ip=False)
        run("burst", args.guesses, args.threads, 0, same_ip=False)
        run("one IP", args.guesses, args.threads, args.seconds, same_ip=True)


if __name__ == "__main__":
    main()
