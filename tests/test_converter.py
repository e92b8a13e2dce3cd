"""One resident LibreOffice per process (office/converter.py): reused, restarted after a crash, shut down
cleanly, never sharing a profile; one LibreOffice per call when UNO is not available."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

import summarykit as sk
from summarykit.office import converter

from .conftest import SAMPLE_DATA, require_soffice

pytestmark = pytest.mark.libreoffice


@pytest.fixture(scope="module")
def docx() -> bytes:
    return sk.to_docx(sk.compose(sk.load(SAMPLE_DATA / "school_term.yaml"), seed=1))


def _uno_python() -> str:
    python = converter.find_uno_python(require_soffice())
    if python is None:
        if os.environ.get("SUMMARYKIT_REQUIRE_LIBREOFFICE"):
            pytest.fail("no Python that can import uno (Debian: apt-get install python3-uno)")
        pytest.skip("no Python that can import uno (Debian: python3-uno)")
    return python


def _text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _is_locked(path: Path) -> bool:
    import fcntl

    with open(path, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


@pytest.fixture(scope="module")
def _module_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")  # one per module: the cached profile warms up once


@pytest.fixture
def cache(_module_cache: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(_module_cache))
    return _module_cache / "summarykit"


def test_one_libreoffice_converts_many_documents_restarts_after_a_crash_and_ends_cleanly(
        docx: bytes, tmp_path: Path, cache: Path) -> None:
    office = converter.ResidentOffice(python=_uno_python())
    try:
        pdfs = [office.convert(docx) for _ in range(3)]
        assert office.starts == 1  # started once, reused
        assert all(p.startswith(b"%PDF") for p in pdfs)
        assert "学生食堂改革" in _text(pdfs[-1], tmp_path)
        assert office.profile is not None and office.profile.path == cache / "libreoffice-profile"
        assert _is_locked(cache / "libreoffice-profile.lock")  # held while LibreOffice runs

        assert office.office is not None
        os.killpg(office.office.pid, signal.SIGKILL)  # LibreOffice crashes
        office.office.wait()
        assert "学生食堂改革" in _text(office.convert(docx), tmp_path)
        assert office.starts == 2

        assert office.bridge is not None
        office.bridge.kill()  # the UNO client dies
        office.bridge.wait()
        assert office.convert(docx).startswith(b"%PDF")
        assert office.starts == 3

        process = office.office
        office.close()
        assert process.returncode == 0  # LibreOffice ended when asked, it was not killed
        assert not _is_locked(cache / "libreoffice-profile.lock")
    finally:
        office.stop()


def test_two_converters_never_share_a_profile(docx: bytes, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    python = _uno_python()
    first, second = converter.ResidentOffice(python=python), converter.ResidentOffice(python=python)
    third = converter.ResidentOffice(python=python)
    try:
        first.convert(docx)
        second.convert(docx)
        assert first.profile is not None and second.profile is not None
        # The second gets the next cached profile (warm from the second run on), under its own lock.
        assert (first.profile.path, second.profile.path) == (cache / "libreoffice-profile",
                                                              cache / "libreoffice-profile-2")
        assert not second.profile.temporary
        assert _is_locked(cache / "libreoffice-profile-2.lock")
        second.close()
        assert not _is_locked(cache / "libreoffice-profile-2.lock")
        assert (cache / "libreoffice-profile-2").is_dir()  # kept for the next run

        monkeypatch.setattr(converter, "PROFILE_SLOTS", 1)  # every cached profile in use
        third.convert(docx)
        assert third.profile is not None and third.profile.temporary
        temporary = third.profile.path
        third.close()
        assert not temporary.exists()  # a temporary profile is removed with its LibreOffice
    finally:
        first.stop()
        second.stop()
        third.stop()


def test_prestart_starts_libreoffice_in_the_background_and_the_first_conversion_waits_for_it(
        docx: bytes, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _uno_python()
    office = converter.ResidentOffice()
    monkeypatch.setattr(converter, "_RESIDENT", [office])
    try:
        converter.prestart()
        deadline = time.monotonic() + 60
        while not office.running() and time.monotonic() < deadline:  # started without any conversion asked
            time.sleep(0.05)
        assert office.running() and office.starts == 1
        converter.prestart()  # already running: nothing more
        assert converter.docx_to_pdf(docx).startswith(b"%PDF")
        assert office.starts == 1  # the conversion used the LibreOffice started in advance
    finally:
        office.close()
    assert not office.running()


def test_closing_during_a_start_in_advance_gives_it_up_at_once(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bad input found while LibreOffice starts in advance: the program ends without waiting for it."""
    _uno_python()
    office = converter.ResidentOffice()
    monkeypatch.setattr(converter, "_RESIDENT", [office])
    converter.prestart()
    try:
        deadline = time.monotonic() + 30
        while office.office is None and time.monotonic() < deadline:  # LibreOffice launched, not yet connected
            time.sleep(0.01)
        process = office.office
        assert process is not None and not office.running()  # launched, still starting (about a second)
    except BaseException:
        office.close()
        raise
    started = time.monotonic()
    office.close()
    assert time.monotonic() - started < 5  # not the start-up's full time, nor its 60 s limit
    assert process.poll() is not None  # that LibreOffice is gone
    assert not office.running() and office.profile is None
    assert not _is_locked(cache / "libreoffice-profile.lock")
    assert office.available  # given up, not failed: the next conversion starts it again


def test_without_uno_each_conversion_starts_libreoffice_once(docx: bytes, tmp_path: Path, cache: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    require_soffice()
    monkeypatch.setattr(converter, "_RESIDENT", [])
    monkeypatch.setattr(converter, "_UNO_PYTHON", [None])  # no Python with uno on this machine
    started = []
    real = converter.convert_once
    monkeypatch.setattr(converter, "convert_once", lambda data, **kw: started.append(1) or real(data, **kw))
    assert "学生食堂改革" in _text(converter.docx_to_pdf(docx), tmp_path)
    assert started == [1]
    assert converter.resident() is None


def test_the_pdf_format_goes_through_the_resident_libreoffice(monkeypatch: pytest.MonkeyPatch, cache: Path,
                                                              tmp_path: Path) -> None:
    _uno_python()
    office = converter.ResidentOffice()
    monkeypatch.setattr(converter, "_RESIDENT", [office])
    try:
        for seed in (1, 2):
            pdf = sk.render(SAMPLE_DATA / "school_term.yaml", format="pdf", seed=seed)
            assert "学生食堂改革" in _text(pdf, tmp_path)
        assert office.starts == 1
    finally:
        office.close()


def _resident_offices(profiles: Path | None = None) -> set[str]:
    """pid and command line of every LibreOffice listening on a UNO socket (resident ones), only
    those whose profile is under ``profiles`` when given."""
    lines = subprocess.run(["ps", "-ww", "-eo", "pid,args"], capture_output=True, text=True).stdout.splitlines()
    found = {line.strip() for line in lines if "--accept=socket" in line and "soffice" in line}
    if profiles is None:
        return found
    return {line for line in found if profiles.as_uri() in line}


def test_batch_workers_end_their_libreoffice_when_the_batch_ends(tmp_path: Path, cache: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    _uno_python()
    mine = converter.ResidentOffice()
    monkeypatch.setattr(converter, "_RESIDENT", [mine])
    inputs = []
    for i in range(4):
        path = tmp_path / f"r{i}.yaml"
        path.write_text((SAMPLE_DATA / "school_term.yaml").read_text(encoding="utf-8"), encoding="utf-8")
        inputs.append(path)
    out = tmp_path / "out"
    out.mkdir()
    sk.render(inputs[0], format="pdf")  # this process has its own resident LibreOffice, which workers inherit
    # This process holds the first cached profile; the workers take the next ones, in the test's cache
    # folder, so only their LibreOffices are counted (other programs may run LibreOffice too).
    before = _resident_offices(cache)
    seen: set[str] = set()
    done = threading.Event()

    def watch() -> None:  # the workers' LibreOffices are seen while they run: the filter is not vacuous
        while not done.wait(0.1):
            seen.update(_resident_offices(cache) - before)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        result = sk.render_many(inputs, out, jobs=2, format="pdf")
    finally:
        done.set()
        watcher.join()
    assert result.jobs == 2  # rendered by two worker processes, not in this one
    assert sorted(p.name for p in out.iterdir()) == [f"r{i}.pdf" for i in range(4)], result
    # Each worker had its own LibreOffice, on its own cached profile (warm on the next batch).
    used = {name for name in ("libreoffice-profile-2", "libreoffice-profile-3")
            if any(f"UserInstallation={(cache / name).as_uri()} " in line for line in seen)}
    assert len(used) == 2, seen
    # They are not left running after the batch; this process's own one is untouched.
    assert mine.running() and mine.starts == 1
    left = _resident_offices(cache) - before
    mine.close()
    assert not left


def _wait_gone(pid: int, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except OSError:
            return True
        time.sleep(0.2)
    os.killpg(pid, signal.SIGKILL)
    return False


def test_libreoffice_ends_when_its_program_is_killed_while_it_starts(cache: Path) -> None:
    """Killed during a start in advance: the bridge connects, finds no one to answer, and ends LibreOffice."""
    import sys

    _uno_python()
    code = ("import os, signal, time\n"
            "from summarykit.office import converter\n"
            "converter.prestart()\n"
            "while not converter._RESIDENT or converter._RESIDENT[0].office is None: time.sleep(0.01)\n"
            "print(converter._RESIDENT[0].office.pid, flush=True)\n"
            "os.kill(os.getpid(), signal.SIGKILL)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "XDG_CACHE_HOME": str(cache.parent)}, timeout=300)
    assert done.returncode == -signal.SIGKILL
    assert _wait_gone(int(done.stdout.split()[0])), "LibreOffice outlived the program that started it"


def test_libreoffice_ends_when_its_program_is_killed(tmp_path: Path, cache: Path) -> None:
    """Killed programs run no clean-up: the bridge sees its input end and stops LibreOffice itself."""
    import sys
    import time

    _uno_python()
    code = ("import os, signal, summarykit as sk\n"
            "from summarykit.office import converter\n"
            f"sk.render({str(SAMPLE_DATA / 'school_term.yaml')!r}, format='pdf')\n"
            "print(converter._RESIDENT[0].office.pid, flush=True)\n"
            "os.kill(os.getpid(), signal.SIGKILL)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "XDG_CACHE_HOME": str(cache.parent)}, timeout=300)
    assert done.returncode == -signal.SIGKILL
    office = int(done.stdout.split()[0])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            os.kill(office, 0)
        except OSError:
            break
        time.sleep(0.2)
    else:
        os.killpg(office, signal.SIGKILL)
        pytest.fail("LibreOffice outlived the program that started it")


def test_a_preview_of_an_official_document_converts_once_when_its_record_falls_on_an_even_page(
        tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The preview is the PDF writer's PDF: the layout that places the 版记 is also the one shown."""
    from tests.test_service_office import SHORT

    _uno_python()
    office = converter.ResidentOffice()
    monkeypatch.setattr(converter, "_RESIDENT", [office])
    converted: list[bytes] = []
    real = converter.docx_to_pdf
    monkeypatch.setattr(converter, "docx_to_pdf", lambda data, **kw: converted.append(data) or real(data, **kw))
    try:
        pages = sk.Kit().preview(SHORT, tmp_path, dpi=30, seed=1)
    finally:
        office.close()
    assert [p.name for p in pages] == ["preview-1.png", "preview-2.png"]
    assert len(converted) == 1  # it was two: the 版记's page check, then the preview's own conversion


def test_the_python_that_can_import_uno_is_remembered_until_a_file_it_depends_on_changes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Asking a Python whether it imports uno starts it (0.1–0.25 s, before LibreOffice can start):
    the answer is kept in the cache folder, and asked again when the Python or soffice changed."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    python = tmp_path / "python-with-uno"
    python.write_text("#!/bin/sh\n", encoding="utf-8")
    python.chmod(0o755)
    monkeypatch.setenv("SUMMARYKIT_UNO_PYTHON", str(python))
    asked: list[str] = []
    monkeypatch.setattr(converter, "_can_import_uno", lambda candidate: asked.append(candidate) or True)

    def find() -> str | None:
        monkeypatch.setattr(converter, "_UNO_PYTHON", [])  # a new process
        return converter.find_uno_python(require_soffice())

    assert find() == str(python) and asked == [str(python)]
    assert find() == str(python) and asked == [str(python)]  # remembered: not asked again
    python.write_text("#!/bin/sh\n# upgraded\n", encoding="utf-8")
    assert find() == str(python) and asked == [str(python)] * 2  # the Python changed: asked again
    converter._forget_uno_python()  # what a bridge that cannot import uno after all leads to
    assert find() == str(python) and asked == [str(python)] * 3
