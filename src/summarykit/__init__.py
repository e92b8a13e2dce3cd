"""summarykit: draft Chinese work summaries (工作总结) from structured records.

    import summarykit as sk
    report = sk.load("sample_data/school_term.yaml")       # raises sk.RecordsError
    doc = sk.compose(report, template="school_term", seed=7)
    data = sk.to_docx(doc)                                  # also sk.to_markdown(doc), sk.to_text(doc)
    sk.render("in.yaml", "out.docx", seed=7)                # the one-call path, written atomically

Importing this package is cheap: pydantic, Jinja, python-docx and jieba load only when used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import (
    DependencyError,
    Notice,
    OutputError,
    PhraseBankError,
    Problem,
    RecordsError,
    StyleError,
    SummaryKitError,
    TemplateError,
)

__version__ = "0.1.0"

__all__ = [
    "DependencyError",
    "Document",
    "Notice",
    "OutputError",
    "PhraseBankError",
    "Problem",
    "RecordsError",
    "Report",
    "Style",
    "StyleError",
    "SummaryKitError",
    "TemplateError",
    "__version__",
    "compose",
    "load",
    "load_style",
    "loads",
    "render",
    "render_many",
    "to_docx",
    "to_markdown",
    "to_text",
]

if TYPE_CHECKING:
    from .api import render, to_docx, to_markdown, to_text
    from .batch import render_many
    from .drafting.composer import compose
    from .records.loading import load, loads
    from .records.model import Report
    from .style import Style, load_style
    from .tree.document import Document

_LAZY = {
    "load": ("records.loading", "load"),
    "loads": ("records.loading", "loads"),
    "Report": ("records.model", "Report"),
    "compose": ("drafting.composer", "compose"),
    "Document": ("tree.document", "Document"),
    "render": ("api", "render"),
    "render_many": ("batch", "render_many"),
    "to_docx": ("api", "to_docx"),
    "to_markdown": ("api", "to_markdown"),
    "to_text": ("api", "to_text"),
    "Style": ("style", "Style"),
    "load_style": ("style", "load_style"),
}


def __getattr__(name: str) -> Any:
    """Load the heavier stages (Jinja, python-docx) on first use, keeping `import summarykit` fast."""
    if name in _LAZY:
        from importlib import import_module

        module, attr = _LAZY[name]
        value = getattr(import_module(f".{module}", __name__), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'summarykit' has no attribute {name!r}")
