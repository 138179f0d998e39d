"""How many password guesses the dashboard checks: a growing delay and a lockout, per client and for everyone.

Streamlit serves every session on a thread of one process, so one module-level LIMITER sees every attempt.
Each attempt is asked for *before* the password is hashed: a refused attempt costs no PBKDF2 and never
sleeps a server thread. A client is the session's IP address when Streamlit knows it, else its session id
(one browser tab); the global key ('*') counts every client's failures together, so opening many
websockets does not multiply the guesses.

    ticket = LIMITER.begin("ip:192.0.2.7")       # Verdict(allowed=True, ...) or a refusal saying until when
    LIMITER.finish(ticket, ok=False)             # -> ['client'] when this failure started a lockout

An attempt counts as a failure from the moment it is allowed until it succeeds: eight guesses fired at once
find the first one's failure already counted, and wait for it.
"""
from __future__ import annotations

import os
import threading
import time
from collections import deque
from dataclasses import dataclass, field

GLOBAL_KEY = "*"


@dataclass(frozen=True)
class Policy:
    """What one key (a client, or everyone together) may try. Times are in seconds."""
    free: int                  # failures allowed before any delay
    base_delay: float          # wait after the first delayed failure; it doubles with each further one
    max_delay: float           # the wait never grows beyond this
    max_failures: int          # this many failures within `window` lock the key out; 0: never locked out
    lockout: float             # how long a lockout lasts; even the right password is refused meanwhile
    window: float              # how long a failure is remembered

    def delay(self, failures: int) -> float:
        """Seconds to wait after the last attempt: client policy 0 -> 0, 1 -> 1, 2 -> 2, 3 -> 4, 4 -> 8."""
        if failures < self.free:
            return 0.0
        return min(self.base_delay * 2 ** (failures - self.free), self.max_delay)


def _env_number(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name, default))
    except ValueError:
        return default
    return value if value > 0 else default


@dataclass(frozen=True)
class LoginLimits:
    """The settings, each overridable by an environment variable (read at start-up)."""
    client: Policy
    everyone: Policy

    @classmethod
    def from_env(cls) -> "LoginLimits":
        minutes = _env_number("CRUSCOTTO_LOGIN_LOCKOUT_MINUTES", 15) * 60
        max_delay = _env_number("CRUSCOTTO_LOGIN_MAX_DELAY_SECONDS", 30)
        per_client = int(_env_number("CRUSCOTTO_LOGIN_MAX_FAILURES", 5))
        # Everyone together is only slowed down, not locked out, unless asked: reading needs no login, so a
        # lockout for everyone would let any visitor keep the editors out.
        raw = os.environ.get("CRUSCOTTO_LOGIN_MAX_FAILURES_ALL", "0").strip()
        for_everyone = int(raw) if raw.isdigit() else 0
        return cls(client=Policy(free=1, base_delay=1.0, max_delay=max_delay, max_failures=per_client,
                                 lockout=minutes, window=minutes),
                   everyone=Policy(free=10, base_delay=1.0, max_delay=max_delay, max_failures=for_everyone,
                                   lockout=minutes, window=minutes))


@dataclass
class _State:
    failures: deque = field(default_factory=deque)     # clock times of failed (or still running) attempts
    last_attempt: float = float("-inf")
    locked_until: float = float("-inf")


@dataclass(frozen=True)
class Verdict:
    """Whether an attempt may be checked; when refused, why ('locked' or 'wait'), whose limit ('client' or
    'everyone') and the clock time from which to retry."""
    allowed: bool
    key: str
    started: float
    reason: str | None = None
    scope: str | None = None
    retry_at: float | None = None
    failures: int = 0


class Limiter:
    """Thread-safe failure counts per key; `clock` is injectable (tests move time instead of sleeping)."""

    MAX_KEYS = 10_000          # forget idle clients beyond this many, so a flood of sessions cannot fill memory

    def __init__(self, limits: LoginLimits | None = None, clock=time.monotonic):
        self.limits = limits or LoginLimits.from_env()
        self.clock = clock
        self._lock = threading.Lock()
        self._states: dict[str, _State] = {}

    def reset(self) -> None:
        with self._lock:
            self._states.clear()

    def _policy(self, key: str) -> Policy:
        return self.limits.everyone if key == GLOBAL_KEY else self.limits.client

    def _state(self, key: str, now: float) -> _State:
        """The key's state with old failures forgotten (a new, unstored state for a key never seen)."""
        state = self._states.get(key) or _State()
        window = self._policy(key).window
        while state.failures and state.failures[0] <= now - window:
            state.failures.popleft()
        return state

    def _refusal(self, client_key: str, now: float) -> Verdict | None:
        for key in (client_key, GLOBAL_KEY):
            state, policy = self._state(key, now), self._policy(key)
            scope = "everyone" if key == GLOBAL_KEY else "client"
            if state.locked_until > now:
                return Verdict(False, client_key, now, "locked", scope, state.locked_until, len(state.failures))
            ready = state.last_attempt + policy.delay(len(state.failures))
            if now < ready:
                return Verdict(False, client_key, now, "wait", scope, ready, len(state.failures))
        return None

    def peek(self, client_key: str) -> Verdict:
        """What begin() would answer now, counting nothing."""
        with self._lock:
            now = self.clock()
            return self._refusal(client_key, now) or Verdict(True, client_key, now)

    def begin(self, client_key: str) -> Verdict:
        """May this client's attempt be checked now? If so its failure is counted until finish(ok=True)."""
        with self._lock:
            now = self.clock()
            refused = self._refusal(client_key, now)
            if refused:
                return refused
            for key in (client_key, GLOBAL_KEY):
                state = self._states.setdefault(key, self._state(key, now))
                state.failures.append(now)
                state.last_attempt = now
            if len(self._states) > self.MAX_KEYS:
                self._forget_idle(now)
            return Verdict(True, client_key, now)

    def finish(self, verdict: Verdict, ok: bool) -> list[str]:
        """Close an allowed attempt. A success clears the client's failures; a failure may start a lockout:
        returns the scopes ('client', 'everyone') locked out by this failure."""
        if not verdict.allowed:
            return []
        locked = []
        with self._lock:
            now = self.clock()
            for key, scope in ((verdict.key, "client"), (GLOBAL_KEY, "everyone")):
                state, policy = self._states.setdefault(key, self._state(key, now)), self._policy(key)
                if ok:
                    if key == GLOBAL_KEY:
                        if verdict.started in state.failures:
                            state.failures.remove(verdict.started)
                    else:
                        self._states.pop(key, None)
                elif policy.max_failures and len(state.failures) >= policy.max_failures and state.locked_until <= now:
                    state.locked_until = now + policy.lockout
                    state.failures.clear()
                    locked.append(scope)
        return locked

    def _forget_idle(self, now: float) -> None:
        for key in [k for k, s in self._states.items() if k != GLOBAL_KEY and s.locked_until <= now and
                    (not s.failures or s.failures[-1] <= now - self._policy(k).window)]:
            del self._states[key]


LIMITER = Limiter()
