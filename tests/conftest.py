"""Shared fixtures: paths to the repository's data and the shared samples."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLE_DATA = REPO / "sample_data"
SAMPLES_TXT = REPO.parent / "shared" / "samples" / "six_sample_summaries.txt"


@pytest.fixture(autouse=True)
def _reproducible(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests see no SOURCE_DATE_EPOCH unless they set it themselves."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


@pytest.fixture
def school_term() -> Path:
    return SAMPLE_DATA / "school_term.yaml"


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def require_soffice() -> str:
    """LibreOffice or skip; CI sets SUMMARYKIT_REQUIRE_LIBREOFFICE=1 so a missing install fails instead."""
    found = soffice()
    if found:
        return found
    if os.environ.get("SUMMARYKIT_REQUIRE_LIBREOFFICE"):
        pytest.fail("LibreOffice (soffice) is required in CI but was not found")
    pytest.skip("LibreOffice is not installed")


# Hypothesis: a quick profile for local runs, a thorough one for CI (HYPOTHESIS_PROFILE=ci).
from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile("default", max_examples=100, deadline=None)
settings.register_profile("ci", max_examples=400, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(scope="session")
def service():  # type: ignore[no-untyped-def]
    """One real `summarykit serve` for the session (tests/served.py); skipped without the [serve] extra."""
    pytest.importorskip("starlette")
    pytest.importorskip("uvicorn")
    from tests.served import serve

    with serve() as served:
        yield served
