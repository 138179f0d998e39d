"""Reading a file in a child process with a memory and a CPU-time cap, so that a file which asks for too
much ends the child, never the dashboard or the loader that picked it.

pdf_bounds refuses the PDFs we know how to measure; this is the wall behind it. The child is a plain
`python -m loaders.inputs.isolated` that reads requests on stdin and answers on stdout (JSON, length
prefixed), and is reused from one file to the next: starting it costs a few tenths of a second. After a
cap or a crash it is replaced. Where the platform has no resource limits (Windows), files are read in
this process.

    CRUSCOTTO_READ_MEMORY_MB   memory of the child (address space), default 2048
    CRUSCOTTO_READ_SECONDS     CPU seconds for one file, default 180; the wall clock allows twice that
"""
from __future__ import annotations

import errno
import json
import os
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from ..errors import Refused
from . import ExtractedText

try:
    import resource
except ImportError:                                    # pragma: no cover - Windows
    resource = None

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class ReadLimits:
    memory_mb: int = 2048
    seconds: int = 180

    @classmethod
    def from_environment(cls) -> "ReadLimits":
        return cls(int(os.environ.get("CRUSCOTTO_READ_MEMORY_MB") or cls.memory_mb),
                   int(os.environ.get("CRUSCOTTO_READ_SECONDS") or cls.seconds))


class ChildFailed(Exception):
    """The child stopped without an answer: out of time (CPU or wall clock) or out of memory (or crashed)."""

    def __init__(self, out_of_time: bool):
        super().__init__("out of time" if out_of_time else "out of memory")
        self.out_of_time = out_of_time


def _send(stream, payload: bytes) -> None:
    stream.write(struct.pack(">Q", len(payload)) + payload)
    stream.flush()


def _receive(stream) -> bytes | None:
    header = stream.read(8)
    if len(header) < 8:
        return None
    (size,) = struct.unpack(">Q", header)
    return stream.read(size)


class Child:
    """One child process; extract() sends it a file and waits for the answer within the wall-clock cap."""

    def __init__(self, limits: ReadLimits):
        self.limits = limits
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "loaders.inputs.isolated", str(limits.memory_mb)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, bufsize=0)

    def extract(self, input_format: str, data: bytes) -> ExtractedText:
        request = json.dumps({"format": input_format, "seconds": self.limits.seconds}).encode()
        try:
            _send(self.process.stdin, request)
            _send(self.process.stdin, data)
        except OSError as exc:                          # it died at start (no memory to import)
            raise ChildFailed(out_of_time=False) from exc
        answer = self._answer(time.monotonic() + 2 * self.limits.seconds + 5)
        if "refused" in answer:
            raise Refused(answer["refused"], **answer["details"])
        if "error" in answer:
            raise RuntimeError(answer["error"])
        fields = answer["extracted"]
        return ExtractedText(**{**fields, "furniture": frozenset(fields["furniture"])})

    def _answer(self, deadline: float) -> dict:
        out = self.process.stdout
        chunks, needed, size = [], 8, None
        while needed:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([out], [], [], left)[0]:
                self.close()
                raise ChildFailed(out_of_time=True)
            chunk = os.read(out.fileno(), min(needed, 1 << 20))
            if not chunk:
                raise ChildFailed(out_of_time=self.process.wait() == -signal.SIGXCPU)
            chunks.append(chunk)
            needed -= len(chunk)
            if needed == 0 and size is None:
                (size,) = struct.unpack(">Q", b"".join(chunks))
                chunks, needed = [], size
        return json.loads(b"".join(chunks))

    def close(self) -> None:
        self.process.kill()
        self.process.wait()
        for pipe in (self.process.stdin, self.process.stdout):
            pipe.close()


_IDLE: list[Child] = []
_LOCK = threading.Lock()
MAX_CHILDREN = 2                    # files read at once; more wait their turn (each child may take its memory cap)
_TURNS = threading.BoundedSemaphore(MAX_CHILDREN)


def extract(adapter, data: bytes, limits: ReadLimits | None = None) -> ExtractedText:
    """adapter.extract(data), in a child process with caps; a file that hits a cap is refused
    ('read_time' or 'read_memory', with the limit) and the child replaced."""
    if resource is None:
        return adapter.extract(data)
    limits = limits or ReadLimits.from_environment()
    with _TURNS:
        with _LOCK:
            child = next((c for c in _IDLE if c.limits == limits and c.process.poll() is None), None)
            if child:
                _IDLE.remove(child)
        child = child or Child(limits)
        try:
            extracted = child.extract(adapter.FORMAT, data)
        except ChildFailed as failed:
            child.close()
            if failed.out_of_time:
                raise Refused("read_time", seconds=limits.seconds) from None
            raise Refused("read_memory", memory_mb=limits.memory_mb) from None
        except (Refused, RuntimeError):                # an answer: the child is ready for the next file
            _keep(child)
            raise
        except BaseException:                          # interrupted mid-request: its answer would be stale
            child.close()
            raise
        _keep(child)
        return extracted


def _keep(child: Child) -> None:
    with _LOCK:
        if child.process.poll() is None and len(_IDLE) < 2:
            _IDLE.append(child)
            return
    child.close()


# ---------------------------------------------------------------------------- the child's side

def _serve(memory_mb: int) -> None:
    from . import odt, pdf, word

    adapters = {a.FORMAT: a for a in (pdf, word, odt)}
    limit = memory_mb * 1024 ** 2
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))    # a file stopped by the CPU cap leaves no core dump
    requests, answers = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr                            # nothing but answers on the answers' pipe
    while (request := _receive(requests)) is not None:
        task = json.loads(request)
        data = _receive(requests)
        used = resource.getrusage(resource.RUSAGE_SELF)
        cpu = int(used.ru_utime + used.ru_stime) + 1
        hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
        soft = cpu + task["seconds"]
        resource.setrlimit(resource.RLIMIT_CPU, (soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard))
        try:
            extracted = adapters[task["format"]].extract(data)
            answer = {"extracted": {**asdict(extracted), "furniture": sorted(extracted.furniture)}}
        except Refused as exc:
            answer = {"refused": exc.code, "details": exc.details}
        except MemoryError:
            return                                     # the parent reads the silence as a cap
        except Exception as exc:
            if _out_of_memory(exc):                    # pdfplumber wraps pdfminer's errors, MemoryError too
                return
            answer = {"error": f"{type(exc).__name__}: {exc}"}
        _send(answers, json.dumps(answer, default=str).encode())


def _out_of_memory(exc: BaseException | None) -> bool:
    """MemoryError, or what the cap looks like elsewhere: a library that cannot be mapped at import, ENOMEM."""
    while exc is not None:
        if isinstance(exc, MemoryError) or (isinstance(exc, OSError) and exc.errno == errno.ENOMEM) or \
                (isinstance(exc, ImportError) and "failed to map segment" in str(exc)):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


if __name__ == "__main__":
    _serve(int(sys.argv[1]))
