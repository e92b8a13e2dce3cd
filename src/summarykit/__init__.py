"""summarykit: draft Chinese work summaries (工作总结) from structured records.

    import summarykit as sk
    report = sk.load("sample_data/school_term.yaml")       # raises sk.RecordsError; also text, bytes, a dict
    doc = sk.compose(report, template="school_term", seed=7)
    data = sk.to_docx(doc)                                  # also sk.to_markdown(doc), sk.to_text(doc)
    sk.render("in.yaml", "out.docx", seed=7)                # the one-call path, written atomically

    kit = sk.Kit(templates=["我的模板"], style="本单位.yaml", numbering="word")   # one configuration,
    kit.render("in.yaml", "out.docx"); kit.render_many(paths, "输出", jobs=2)    # used by every entry point

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
    "WRITERS",
    "DependencyError",
    "Document",
    "Kit",
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
    "default_kit",
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
    from .kit import (
        Kit,
        compose,
        default_kit,
        load,
        loads,
        render,
        render_many,
        to_docx,
        to_markdown,
        to_text,
    )
    from .records.model import Report
    from .style import Style, load_style
    from .tree.document import Document
    from .writers import WRITERS

_LAZY = {
    "Kit": ("kit", "Kit"),
    "default_kit": ("kit", "default_kit"),
    "load": ("kit", "load"),
    "loads": ("kit", "loads"),
    "compose": ("kit", "compose"),
    "render": ("kit", "render"),
    "render_many": ("kit", "render_many"),
    "to_docx": ("kit", "to_docx"),
    "to_markdown": ("kit", "to_markdown"),
    "to_text": ("kit", "to_text"),
    "Report": ("records.model", "Report"),
    "Document": ("tree.document", "Document"),
    "Style": ("style", "Style"),
    "load_style": ("style", "load_style"),
    "WRITERS": ("writers", "WRITERS"),
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
