"""DOCX → PDF through one resident LibreOffice per process, over UNO; one LibreOffice per call as fallback.

Starting LibreOffice costs 1.5–2 s; converting a document in a running one about
0.2 s.  So the first conversion starts LibreOffice headless, listening on a UNO
socket on a free localhost port, with a private user profile, and later ones
reuse it (preview, ``render -o x.pdf``, batch PDFs, the service):

- LibreOffice's Python binding can rarely be imported by the Python summarykit
  runs in, so the UNO calls are made by office/unobridge.py, run by a Python that
  has ``uno`` (``$SUMMARYKIT_UNO_PYTHON``, the Python bundled next to soffice on
  Windows and macOS, this Python, or the system ``python3`` with Debian's
  ``python3-uno``), talking JSON lines over its stdin/stdout;
- a LibreOffice that crashed or was killed is noticed (it exited, or the bridge
  says the connection is gone) and started again, and the document is tried once
  more; a conversion that takes longer than the timeout stops both;
- the profile is a cached one in the user cache folder (a warm profile starts
  faster and converts its first document faster), the first of ``PROFILE_SLOTS``
  that is free, held under a lock file for as long as LibreOffice runs, so no two
  converters — in this process or another — ever share a profile, and two batch
  workers both get a warm one; a converter that finds them all taken uses a
  temporary one, removed when it stops;
- ``prestart()`` starts it in a background thread as soon as a PDF is known to be
  needed (``render`` to PDF, ``preview``, a PDF batch), so that LibreOffice's
  start-up (about 1.2 s) overlaps Python's own work (imports, loading, composing,
  the DOCX); the first conversion waits for the start to finish.  A start nobody
  has used is stopped at once by ``close()`` (a bad input does not wait for it);
- ``close()`` (also run at exit) asks LibreOffice to end, then stops what is left;
- when no Python with ``uno`` is found, or the resident LibreOffice cannot be
  started, each conversion starts LibreOffice once (``soffice --convert-to pdf``)
  as before; ``SUMMARYKIT_OFFICE=once`` asks for that explicitly.

Conversions are serialised by a lock: one LibreOffice converts one document at a time.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib.util
import json
import logging
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import IO, Any

from .soffice import DEFAULT_TIMEOUT, ConversionError, convert_once, require_soffice

log = logging.getLogger(__name__)

BRIDGE = Path(__file__).with_name("unobridge.py")
START_TIMEOUT = 60.0  # LibreOffice's first start in a new profile can take a while on a busy machine
STOP_TIMEOUT = 10.0


def _free_port() -> int:
    """A localhost port nobody listens on now (LibreOffice binds it a moment later)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _can_import_uno(python: str) -> bool:
    try:
        return subprocess.run([python, "-c", "import uno"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, timeout=30).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


_UNO_PYTHON: list[str | None] = []  # found once per process
#: The Python found last time, kept in the user cache folder: asking a Python whether it can import uno
#: means starting it (0.1–0.25 s), before LibreOffice can start.  Stale when any file it depends on changed.
UNO_CACHE = "uno-python.json"


def _stamp(program: str) -> list[Any] | None:
    """What a cached answer about ``program`` depends on: the file it resolves to, its time and size."""
    found = program if Path(program).is_file() else shutil.which(program)
    if not found:
        return None
    try:
        info = os.stat(found)
    except OSError:
        return None
    return [str(Path(found).resolve()), info.st_mtime_ns, info.st_size]


def find_uno_python(soffice: str) -> str | None:
    """A Python that can ``import uno``: configured, bundled with LibreOffice, this one, or the system's."""
    if _UNO_PYTHON:
        return _UNO_PYTHON[0]
    from ..usercache import read_cached, write_cached

    program = Path(soffice).resolve().parent
    candidates = [os.environ.get("SUMMARYKIT_UNO_PYTHON", "").strip(),
                  str(program / "python.exe"), str(program / "python"),  # Windows, macOS bundles
                  sys.executable, "/usr/bin/python3", shutil.which("python3") or ""]
    candidates = list(dict.fromkeys(c for c in candidates if c))
    key = {"candidates": candidates, "soffice": _stamp(soffice)}
    found = None
    try:
        cached = json.loads(read_cached(UNO_CACHE) or b"{}")
        if cached.get("key") == key and cached.get("python") in candidates \
                and cached.get("stamp") == _stamp(cached["python"]):
            found = str(cached["python"])
    except (ValueError, TypeError, AttributeError):
        found = None
    if found is None:
        for candidate in candidates:
            if candidate == sys.executable and importlib.util.find_spec("uno") is None:
                continue  # this Python has no uno (a virtual environment, usually): no need to start it to know
            if (Path(candidate).is_file() or shutil.which(candidate)) and _can_import_uno(candidate):
                found = candidate
                write_cached(UNO_CACHE, json.dumps({"key": key, "python": found,
                                                    "stamp": _stamp(found)}).encode("utf-8"))
                break
    _UNO_PYTHON.append(found)
    return found


def _forget_uno_python() -> None:
    """The cached Python could not import uno after all (python3-uno removed): ask again next time."""
    from ..usercache import cache_folder

    with contextlib.suppress(OSError):
        (cache_folder() / UNO_CACHE).unlink()


class StartError(ConversionError):
    """The resident LibreOffice could not be started (then each conversion starts its own)."""


#: Cached profiles kept in the user cache folder: one per LibreOffice running at once (batch workers,
#: service workers, two commands), each under its own lock; a converter finding them all taken uses a
#: temporary profile.  A cold profile costs about 0.6 s more to start and 0.3 s more on the first document.
PROFILE_SLOTS = 4


def profile_folder(slot: int) -> Path:
    """The cached profile of ``slot`` (0 is the one soffice.convert_once also uses)."""
    from ..usercache import cache_folder

    return cache_folder() / ("libreoffice-profile" if slot == 0 else f"libreoffice-profile-{slot + 1}")


class _Profile:
    """The first free cached LibreOffice profile under a lock held until ``release``, else a temporary one."""

    def __init__(self) -> None:
        self.handle: IO[str] | None = None
        self.temporary = False
        try:
            import fcntl

            for slot in range(PROFILE_SLOTS):
                folder = profile_folder(slot)
                folder.mkdir(parents=True, exist_ok=True, mode=0o700)
                handle = open(folder.with_suffix(".lock"), "a")  # held while LibreOffice runs
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    handle.close()
                    continue  # another LibreOffice uses this one
                self.handle, self.path = handle, folder
                return
            raise OSError("every cached profile is in use")
        except (ImportError, OSError):
            self.path = Path(tempfile.mkdtemp(prefix="summarykit-lo-"))
            self.temporary = True

    def release(self) -> None:
        if self.handle is not None:
            self.handle.close()  # closing the file releases the lock
            self.handle = None
        if self.temporary:
            shutil.rmtree(self.path, ignore_errors=True)


def _stop_group(process: subprocess.Popen[Any] | None) -> None:
    """Stop a process and everything it started (soffice starts soffice.bin)."""
    if process is None or process.poll() is not None:
        return
    if os.name == "posix":
        with contextlib.suppress(OSError):
            os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        process.kill()
    with contextlib.suppress(subprocess.SubprocessError):
        process.wait(timeout=STOP_TIMEOUT)


class ResidentOffice:
    """One LibreOffice kept running for many conversions; see the module docstring."""

    def __init__(self, soffice: str | None = None, python: str | None = None) -> None:
        self.soffice = soffice or require_soffice()
        self.python = python or find_uno_python(self.soffice)
        self.office: subprocess.Popen[bytes] | None = None
        self.bridge: subprocess.Popen[str] | None = None
        self.profile: _Profile | None = None
        self.replies: queue.Queue[str | None] = queue.Queue()
        self.starts = 0  # how many times LibreOffice was started (tests check reuse and restarts)
        self.failed = False  # a start failed: do not pay for another attempt in this process
        self.lock = threading.Lock()
        self.cancel = threading.Event()  # close() during a start: give it up at once
        self.connected = False  # the bridge said it is connected (LibreOffice is up, not just launched)

    @property
    def available(self) -> bool:
        return self.python is not None and not self.failed

    def running(self) -> bool:
        """LibreOffice and the bridge are up and connected (a start under way is not running yet)."""
        return (self.connected and self.office is not None and self.office.poll() is None
                and self.bridge is not None and self.bridge.poll() is None)

    def start(self, timeout: float = START_TIMEOUT) -> None:
        """Start LibreOffice and the bridge, and wait until the bridge is connected."""
        if self.python is None:
            raise StartError("没有找到能导入 uno 的 Python，无法常驻 LibreOffice")
        self.stop()
        self.profile = _Profile()
        port = _free_port()
        kwargs: dict[str, Any] = {"start_new_session": True} if os.name == "posix" else {}
        command = [self.soffice, f"-env:UserInstallation={self.profile.path.as_uri()}", "--headless", "--invisible",
                   "--nocrashreport", "--nodefault", "--nologo", "--nofirststartwizard", "--norestore",
                   "--nolockcheck", f"--accept=socket,host=127.0.0.1,port={port},tcpNoDelay=1;urp;"]
        from .fontconfig import fontconfig_env  # the fonts of a LibreOffice started per call

        office_env = {**os.environ, **fontconfig_env()}
        try:
            self.office = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                           stderr=subprocess.DEVNULL, env=office_env, **kwargs)
            self.bridge = subprocess.Popen([self.python, str(BRIDGE), str(port), str(timeout), str(self.office.pid)],
                                           stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                           text=True, encoding="utf-8", **kwargs)
        except OSError as exc:
            self.stop()
            self.failed = True
            raise StartError(f"无法启动 LibreOffice：{exc.strerror or exc}") from None
        self.starts += 1
        self.replies = queue.Queue()
        threading.Thread(target=self._read, args=(self.bridge, self.replies), daemon=True).start()
        reply = self._ready(timeout + 5)
        if not reply.get("ready"):
            if str(reply.get("error", "")).startswith("import uno"):
                _forget_uno_python()
            self.stop()
            self.failed = not self.cancel.is_set()  # given up by close(): a later start may still succeed
            raise StartError(f"常驻的 LibreOffice 没有启动：{reply.get('error', '')}")
        self.connected = True

    def _ready(self, timeout: float) -> dict[str, Any]:
        """The bridge's first reply; given up early when LibreOffice exits while starting or close() cancels."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.replies.get(timeout=0.1)
            except queue.Empty:
                if self.cancel.is_set():
                    return {"error": "已取消"}
                if self.office is None or self.office.poll() is not None:
                    return {"error": "LibreOffice 启动时退出了"}
                if time.monotonic() > deadline:
                    return {"error": f"{timeout:g} 秒内没有连上"}
                continue
            if line is None:
                return {"error": "连接已断开"}
            try:
                reply = json.loads(line)
            except ValueError:
                return {"error": line.strip()}
            return reply if isinstance(reply, dict) else {"error": line.strip()}

    def start_now(self) -> None:
        """Start LibreOffice unless it runs (what ``prestart`` runs in its thread); failures are only logged."""
        with self.lock:
            if self.running() or not self.available or self.cancel.is_set():
                return
            try:
                self.start()
            except ConversionError as exc:  # the conversion itself falls back to one LibreOffice per call
                log.info("resident LibreOffice not started in advance: %s", exc)

    @staticmethod
    def _read(bridge: subprocess.Popen[str], replies: queue.Queue[str | None]) -> None:
        assert bridge.stdout is not None
        for line in bridge.stdout:
            replies.put(line)
        replies.put(None)  # the bridge ended

    def _reply(self, timeout: float) -> dict[str, Any]:
        try:
            line = self.replies.get(timeout=timeout)
        except queue.Empty:
            self.stop()
            raise ConversionError(f"LibreOffice 在 {timeout:g} 秒内没有完成，已停止。文档很大时可以加大超时时间再试。") from None
        if line is None:
            return {"ok": False, "fatal": True, "error": "连接已断开"}
        try:
            reply = json.loads(line)
        except ValueError:
            return {"ok": False, "fatal": True, "error": line.strip()}
        return reply if isinstance(reply, dict) else {"ok": False, "fatal": True, "error": line.strip()}

    def _ask(self, request: dict[str, Any], timeout: float) -> dict[str, Any]:
        assert self.bridge is not None and self.bridge.stdin is not None
        try:
            self.bridge.stdin.write(json.dumps(request) + "\n")
            self.bridge.stdin.flush()
        except OSError:
            return {"ok": False, "fatal": True, "error": "连接已断开"}
        return self._reply(timeout)

    def convert(self, data: bytes, *, timeout: float = DEFAULT_TIMEOUT) -> bytes:
        """The PDF of a DOCX; starts (or restarts) LibreOffice when needed, retrying once after a crash."""
        with self.lock, tempfile.TemporaryDirectory(prefix="summarykit-pdf-") as work:
            source, target = Path(work) / "document.docx", Path(work) / "document.pdf"
            source.write_bytes(data)
            for attempt in (1, 2):
                if self.failed:  # a start (perhaps in advance, in another thread) failed: do not wait for another
                    raise StartError("常驻的 LibreOffice 没有启动")
                if not self.running():
                    self.start()
                reply = self._ask({"in": str(source), "out": str(target)}, timeout)
                if reply.get("ok") and target.is_file():
                    return target.read_bytes()
                if not reply.get("fatal") or attempt == 2:
                    raise ConversionError(f"LibreOffice 没能把文档转换成 PDF：{reply.get('error', '')}")
                log.info("LibreOffice stopped during a conversion (%s); starting it again", reply.get("error"))
                self.stop()
        raise AssertionError("unreachable")  # pragma: no cover

    def stop(self) -> None:
        """Stop LibreOffice and the bridge at once (no questions asked), and release the profile."""
        self.connected = False
        _stop_group(self.bridge)
        _stop_group(self.office)
        self.bridge = self.office = None
        if self.profile is not None:
            self.profile.release()
            self.profile = None

    def close(self) -> None:
        """End cleanly: ask LibreOffice to terminate, wait a little, then stop whatever is left.

        A start still under way (``prestart`` before a bad input, say) is given up at once rather
        than waited for: nothing has used that LibreOffice yet.
        """
        self.cancel.set()  # only a start waiting for LibreOffice looks at it; convert() holds the lock
        try:
            self._close()
        finally:
            self.cancel.clear()

    def _close(self) -> None:
        with self.lock:
            if self.running() and self.office is not None and self.bridge is not None:
                with contextlib.suppress(OSError, ValueError):
                    assert self.bridge.stdin is not None
                    self.bridge.stdin.write(json.dumps({"quit": True}) + "\n")  # no reply: LibreOffice ends
                    self.bridge.stdin.close()
                for process in (self.office, self.bridge):
                    with contextlib.suppress(subprocess.SubprocessError):
                        process.wait(timeout=STOP_TIMEOUT)
            self.stop()


_RESIDENT: list[ResidentOffice] = []
_RESIDENT_LOCK = threading.Lock()


def _forget_after_fork() -> None:
    """In a forked child (a batch worker): the parent's LibreOffice stays the parent's.

    The child starts its own on first use (with its own profile and its own clean-up); it never
    talks to, stops or removes the parent's, and drops its copy of the parent's profile lock file.
    """
    global _RESIDENT_LOCK
    for office in _RESIDENT:
        if office.profile is not None and office.profile.handle is not None:
            with contextlib.suppress(OSError):
                office.profile.handle.close()  # this process's copy only: the parent keeps its lock
    _RESIDENT.clear()
    _RESIDENT_LOCK = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_after_fork)


def resident() -> ResidentOffice | None:
    """This process's resident LibreOffice (made on first use; None when it cannot be had)."""
    if os.environ.get("SUMMARYKIT_OFFICE", "").strip().lower() == "once":
        return None
    with _RESIDENT_LOCK:
        if not _RESIDENT:
            office = ResidentOffice()
            _RESIDENT.append(office)
            atexit.register(office.close)
            # A multiprocessing worker (batch --jobs) leaves by os._exit, which skips atexit but runs
            # multiprocessing's own finalizers: without this its LibreOffice would outlive the batch.
            from multiprocessing import util

            util.Finalize(None, office.close, exitpriority=10)
        office = _RESIDENT[0]
    return office if office.available else None


def prestart() -> None:
    """Start this process's resident LibreOffice in a background thread, if it is not running yet.

    Called where a PDF will be needed before its DOCX exists (``Kit.render`` to PDF, ``preview``,
    a PDF batch), so that LibreOffice starts while Python imports, loads, composes and writes the
    DOCX; ``docx_to_pdf`` then waits for the start instead of making it.  Without LibreOffice, a
    Python with ``uno``, or with ``SUMMARYKIT_OFFICE=once``, it does nothing.
    """
    if os.environ.get("SUMMARYKIT_OFFICE", "").strip().lower() == "once":
        return
    if _RESIDENT and _RESIDENT[0].running():
        return

    def start() -> None:
        from .soffice import find_soffice

        try:
            office = resident() if find_soffice() is not None else None
            if office is not None:
                office.start_now()
        except Exception as exc:  # only a head start: the conversion reports what is wrong
            log.debug("LibreOffice not started in advance: %s", exc)

    threading.Thread(target=start, name="summarykit-office-start", daemon=True).start()


def docx_to_pdf(data: bytes, *, timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """The PDF LibreOffice makes of a DOCX: by the resident LibreOffice, else by one started for this call."""
    require_soffice()
    office = resident()
    if office is not None:
        try:
            return office.convert(data, timeout=timeout)
        except StartError as exc:  # other errors (a bad document, a timeout) would recur with another LibreOffice
            log.info("resident LibreOffice unavailable (%s); converting with one LibreOffice per call", exc)
    return convert_once(data, timeout=timeout)
