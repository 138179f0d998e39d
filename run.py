#!/usr/bin/env python3
"""The two set-up commands of the README. They need only Python 3.11+ on the machine.

    python3 run.py dashboard   install what is needed in .venv, then start the dashboard
    python3 run.py test        install what is needed in .venv, then run the whole test suite

Installing is skipped when .venv already holds exactly the pinned requirements, so re-running is quick.
The test command also installs Debian's chromium for the browser tests when it is missing.
Extra arguments go to streamlit (dashboard) or pytest (test).
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
REQUIREMENTS = {"dashboard": ROOT / "requirements.txt", "test": ROOT / "requirements-dev.txt"}


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def requirements_digest(path: Path) -> str:
    """Hash of a requirements file and the files it includes with -r."""
    digest = hashlib.sha256()
    for line in path.read_text(encoding="utf-8").splitlines():
        digest.update(line.encode())
        if line.startswith("-r "):
            digest.update(requirements_digest(path.parent / line[3:].strip()).encode())
    return digest.hexdigest()


def ensure_environment(requirements: Path) -> Path:
    if sys.version_info < (3, 11):
        sys.exit(f"Serve Python 3.11 o più recente (questo è {sys.version.split()[0]}).")
    python = venv_python()
    if not python.exists():
        print("Creo l'ambiente virtuale in .venv ...", flush=True)
        venv.create(VENV, with_pip=True)
    stamp = VENV / f".installed-{requirements.stem}"
    wanted = requirements_digest(requirements)
    dev = VENV / ".installed-requirements-dev"            # the test set includes the runtime set
    covered = requirements.stem == "requirements" and dev.exists() and \
        dev.read_text() == requirements_digest(REQUIREMENTS["test"])
    if not covered and (not stamp.exists() or stamp.read_text() != wanted):
        print(f"Installo i pacchetti di {requirements.name} ...", flush=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                        "-r", str(requirements)], check=True)
        stamp.write_text(wanted)
    return python


def ensure_chromium() -> None:
    """The browser tests drive Debian's chromium; install it when missing (needs apt-get as root)."""
    if shutil.which("chromium") or shutil.which("chromium-browser"):
        return
    if os.name != "nt" and shutil.which("apt-get") and os.geteuid() == 0:
        print("Installo chromium per i test nel browser (apt-get) ...", flush=True)
        quiet = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], env=quiet, check=False)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], env=quiet, check=False)
    if not shutil.which("chromium"):
        print("Attenzione: chromium non è installato (serve `apt-get install chromium`): "
              "i test nel browser falliranno.", flush=True)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in REQUIREMENTS:
        print(__doc__)
        return 2
    command, extra = argv[0], argv[1:]
    python = ensure_environment(REQUIREMENTS[command])
    os.chdir(ROOT)
    if command == "dashboard":
        args = [str(python), "-m", "streamlit", "run", "dashboard.py", "--browser.gatherUsageStats", "false", *extra]
    else:
        ensure_chromium()
        args = [str(python), "-m", "pytest", "-q", *extra]
    return subprocess.run(args).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
