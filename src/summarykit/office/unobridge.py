"""A thin UNO client run by a Python that has LibreOffice's ``uno`` module: documents in, PDFs out.

Run as a script, never imported by summarykit itself: LibreOffice's Python
binding (``uno``/``pyuno``) is built for one Python — Debian's ``python3-uno``
for /usr/bin/python3, the bundled ``program/python`` on Windows and macOS — and
usually cannot be imported by the Python summarykit runs in (a virtual
environment, pyenv, conda).  So office/converter.py starts LibreOffice itself
(headless, a private profile, a UNO socket on a free localhost port) and starts
this script with a Python that can import ``uno``; the two talk in JSON lines:

    ← {"ready": true}                                  once connected
    → {"in": "/tmp/…/a.docx", "out": "/tmp/…/a.pdf"}   one per document
    ← {"ok": true}  or  {"ok": false, "error": "…", "fatal": true|false}
    → {"quit": true}                                   ends LibreOffice and this script

End of input (the converter's program ended, even by a signal) ends LibreOffice too.

``fatal`` means the connection to LibreOffice is gone (it crashed or was
killed): the converter then restarts both.  Only the standard library and
``uno`` are used here, so the script runs under any Python 3 that has them.
This is the way unoserver talks to LibreOffice, without its dependency.

    python3 unobridge.py PORT CONNECT_TIMEOUT_SECONDS [LIBREOFFICE_PID]
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any


def _reply(**fields: Any) -> None:
    sys.stdout.write(json.dumps(fields) + "\n")
    sys.stdout.flush()


def _props(uno: Any, **values: Any) -> tuple[Any, ...]:
    from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]

    result = []
    for name, value in values.items():
        prop = PropertyValue()
        prop.Name, prop.Value = name, value
        result.append(prop)
    return tuple(result)


def _connect(uno: Any, port: int, timeout: float) -> Any:
    """The running LibreOffice's desktop, retrying while it starts (it opens the socket late)."""
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    url = f"uno:socket,host=127.0.0.1,port={port},tcpNoDelay=1;urp;StarOffice.ComponentContext"
    deadline = time.monotonic() + timeout
    while True:
        try:
            context = resolver.resolve(url)
            return context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _is_fatal(exc: Exception) -> bool:
    """The bridge to LibreOffice is gone (DisposedException, a closed connection), not a bad document."""
    name = type(exc).__name__
    text = str(exc)
    return name in {"DisposedException", "RuntimeException"} and (
        "dispos" in text.lower() or "connection" in text.lower() or "bridge" in text.lower() or name == "DisposedException")


def _convert(uno: Any, desktop: Any, source: str, target: str) -> None:
    document = desktop.loadComponentFromURL(uno.systemPathToFileUrl(source), "_blank", 0,
                                            _props(uno, Hidden=True, ReadOnly=True))
    if document is None:
        raise RuntimeError("LibreOffice could not open the document")
    try:
        # IsSkipEmptyPages off: keep the blank page before a section that starts on an odd page (汇编).
        data = uno.Any("[]com.sun.star.beans.PropertyValue", _props(uno, IsSkipEmptyPages=False))
        uno.invoke(document, "storeToURL", (uno.systemPathToFileUrl(target),
                                            _props(uno, FilterName="writer_pdf_Export", FilterData=data)))
    finally:
        try:
            document.close(True)
        except Exception:  # already closed or the bridge is gone: nothing to free
            document.dispose()


def main(argv: list[str]) -> int:
    try:
        import uno  # type: ignore[import-not-found]
    except ImportError as exc:
        _reply(ready=False, error=f"import uno: {exc}")
        return 3
    port, timeout = int(argv[1]), float(argv[2])
    office_pid = int(argv[3]) if len(argv) > 3 else 0
    try:
        desktop = _connect(uno, port, timeout)
    except Exception as exc:
        _reply(ready=False, error=f"connect: {exc}")
        return 4
    try:
        _serve(uno, desktop)
    except OSError:  # the converter's end of the pipe is gone (it was killed, even while we connected)
        pass
    # End of input without "quit", or no one left to answer: the program that started us has gone (even
    # killed, when it could not clean up): LibreOffice must not outlive it.
    _end(desktop, office_pid)
    return 0


def _serve(uno: Any, desktop: Any) -> None:
    """Answer requests until "quit" or the end of input; OSError when the converter's pipe is gone."""
    _reply(ready=True)
    for line in sys.stdin:
        request = json.loads(line)
        if request.get("quit"):
            return
        try:
            _convert(uno, desktop, request["in"], request["out"])
        except Exception as exc:
            fatal = _is_fatal(exc)
            _reply(ok=False, error=f"{type(exc).__name__}: {exc}", fatal=fatal)
            if fatal:
                raise SystemExit(5) from None  # LibreOffice is gone: nothing to end
            continue
        _reply(ok=True)


def _end(desktop: Any, office_pid: int) -> None:
    """Ask LibreOffice to terminate; if it is still there after a while, stop its process group."""
    try:
        desktop.terminate()
    except Exception:  # LibreOffice closes the connection as it ends: expected
        pass
    if office_pid <= 0:
        return
    import os
    import signal

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(office_pid, 0)
        except OSError:
            return  # gone
        try:  # reap it if it is our child (it is not: it is the converter's); a zombie counts as gone
            with open(f"/proc/{office_pid}/stat", encoding="ascii") as stat:
                if stat.read().split(")")[-1].split()[0] == "Z":
                    return
        except OSError:
            pass
        time.sleep(0.1)
    if hasattr(os, "killpg"):
        try:
            os.killpg(office_pid, signal.SIGKILL)  # started in a session of its own: the group is LibreOffice's
        except OSError:
            pass


if __name__ == "__main__":
    sys.exit(main(sys.argv))
