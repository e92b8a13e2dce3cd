"""Finishing the pydantic models of a module: their built validators read from the user cache folder.

Every command used to build the records models (and the style's) afresh: pydantic
generates each model's *core schema* in Python (~30–40 ms for records/model.py),
and creating the first validator imports ``importlib.metadata`` (and ``email``,
``socket``…, ~20 ms) only to look for pydantic plugins.  Yet the result is the
same at every start until the code or the installed packages change.

So the models are declared with ``defer_build=True`` (pydantic's documented
setting: the class is created, its schema is not), and :func:`complete` finishes
them: it reads the schemas, validators and serializers kept in the cache folder by
an earlier run, or builds them the ordinary way (``model_rebuild``) and keeps
them there for the next.  A core schema is plain data (dicts of strings and
numbers) plus references to the module-level functions and classes of the models;
pydantic-core's ``SchemaValidator`` and ``SchemaSerializer`` pickle as their
(schema, config) and compile themselves again on loading — about 1 ms for all the
records models.

The cache is only a saving of time, so every doubt means the ordinary build:

* the file is keyed on the pydantic and pydantic-core versions, the Python version,
  the source text of the module and of the summarykit modules it takes names from,
  and the modification times of the ``site-packages`` folders (installing or
  removing any package, a pydantic plugin among them, changes them);
* only pydantic versions the cached path was verified with use it (``VERIFIED``):
  setting a model's ``__pydantic_core_schema__``, ``__pydantic_validator__``,
  ``__pydantic_serializer__`` and ``__pydantic_complete__`` — what pydantic's own
  completion sets for models like these — is not a documented way to finish a model;
* the file is read with an unpickler that resolves only those models' classes and
  functions, pydantic-core's two classes and pydantic's ``WithJsonSchema``, never
  imports anything, and calls nothing else (a file it does not like is ignored);
* any error while reading, or an answer not for exactly these models, is ignored;
* a cache is written only when no pydantic plugin is installed (the command line
  switches plugins off for itself, a program may not), the ordinary build used plain
  pydantic-core validators, and the pickled schemas read back equal.

``SUMMARYKIT_MODEL_CACHE=0`` turns the cache off (the ordinary build, nothing written);
``SUMMARYKIT_MODEL_CACHE=force`` uses it with a pydantic not in VERIFIED, to check a new
release with the tests before adding it.  (pydantic 2.9 and older put local functions in
their schemas: nothing can be kept, and every start builds the ordinary way.)
tests/test_modelcache.py shows that cached and freshly built validators accept and
refuse the same records with the same error lists, and that stale or damaged files
are ignored.
"""

import contextlib
import io
import os
import pickle
import sys
import types
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, WithJsonSchema
from pydantic_core import SchemaSerializer, SchemaValidator

#: The file layout; a new value makes every older file stale.
FORMAT = b"summarykit-models 1"
#: pydantic (major, minor) versions the cached path was checked with (tests/test_modelcache.py).
VERIFIED = ((2, 10), (2, 11), (2, 12), (2, 13), (2, 14))
#: Globals a cache file may name outside the models' own modules.
_CORE_CLASSES: dict[tuple[str, str], Any] = {
    ("pydantic_core._pydantic_core", "SchemaValidator"): SchemaValidator,
    ("pydantic_core._pydantic_core", "SchemaSerializer"): SchemaSerializer,
}
_ALLOWED_PYDANTIC = {("pydantic.json_schema", "WithJsonSchema")}
_ANNOTATION_CLASSES = {WithJsonSchema}
#: Classmethods of BaseModel a schema refers to (the JSON-schema hook in the models' metadata).
_PYDANTIC_HOOKS = {"__get_pydantic_json_schema__", "__get_pydantic_core_schema__"}
#: The three class attributes pydantic's completion sets, and the flag that says it is done.
_ATTRIBUTES = ("__pydantic_core_schema__", "__pydantic_validator__", "__pydantic_serializer__")

#: Modules that finish their models here (their functions and classes may appear in one another's schemas).
_MODULES: set[str] = set()
#: For each name given to complete(): whether this process took its models from the cache.
FROM_CACHE: dict[str, bool] = {}

Entry = tuple[dict[str, Any], SchemaValidator, SchemaSerializer]


def enabled() -> bool:
    """Whether this process may use the cache: not turned off, and a verified pydantic (or forced)."""
    setting = os.environ.get("SUMMARYKIT_MODEL_CACHE", "").strip().lower()
    if setting in {"0", "off", "no", "false"}:
        return False
    if setting == "force":  # to check a new pydantic with tests/test_modelcache.py before adding it to VERIFIED
        return True
    from pydantic.version import VERSION

    try:
        major_minor = tuple(int(p) for p in VERSION.split(".")[:2])
    except ValueError:
        return False
    return major_minor in VERIFIED


def complete(module: str, models: Sequence[type[BaseModel]], *, name: str | None = None) -> bool:
    """Finish ``models`` (declared with ``defer_build=True``) from the cache, else build them and keep them.

    ``models`` are given in the order the ordinary build should take (a model before the
    models that contain it).  Returns True when the cache supplied them (used by the tests).
    """
    _MODULES.add(module)
    name = name or module
    FROM_CACHE[name] = False
    if not enabled():
        _build(models)
        return False
    file = cache_file(name)
    key = cache_key(module)
    entries = read_entries(file, key, module, models)
    if entries is not None:
        for model in models:
            install(model, entries[model.__qualname__])
        FROM_CACHE[name] = True
        return True
    _build(models)
    data = dump_entries(key, models)
    if data is not None and not plugins_installed():
        _write(file, data)
    return False


def plugins_installed() -> bool:
    """Whether any pydantic plugin is installed, switched on or not (a scan of package metadata,
    made only when a cache is about to be written)."""
    try:
        from importlib.metadata import entry_points

        return bool(list(entry_points(group="pydantic")))
    except Exception:  # cannot tell: keep nothing
        return True


def cache_key(module: str) -> str:
    """What the built models depend on, folded into a short text (see the module's docstring)."""
    from pydantic.version import VERSION
    from pydantic_core import __version__ as core_version

    parts = [FORMAT.decode(), VERSION, core_version, sys.version, sys.platform]
    for path in source_files(module):
        try:
            data = Path(path).read_bytes()
        except OSError:
            data = b""
        parts.append(f"{path}:{len(data)}:{zlib.crc32(data):08x}:{zlib.adler32(data):08x}")
    for entry in sys.path:
        if entry.endswith(("site-packages", "dist-packages")):
            try:
                parts.append(f"{entry}:{os.stat(entry).st_mtime_ns}")
            except OSError:
                continue
    text = "\n".join(parts).encode("utf-8", "surrogateescape")
    return f"{zlib.crc32(text):08x}{zlib.adler32(text):08x}{len(text):x}"


def source_files(module: str) -> list[str]:
    """The module's file and those of the summarykit modules it takes names from (their constants
    — the organization types, say — end up in the models' descriptions and so in the schemas)."""
    found = {module}
    for value in vars(sys.modules[module]).values():
        owner = value.__name__ if isinstance(value, types.ModuleType) else getattr(value, "__module__", None)
        if isinstance(owner, str) and owner.startswith("summarykit"):
            found.add(owner)
    files = []
    for name in sorted(found):
        path = getattr(sys.modules.get(name), "__file__", None)
        if path:
            files.append(path)
    return files


def cache_file(name: str) -> Path:
    """Where the models finished under ``name`` are kept: one file per name and installation (its key
    inside, so that a new version replaces it), so that two installations do not take turns rebuilding."""
    from ..usercache import cache_folder

    where = zlib.crc32(str(Path(__file__).resolve().parent).encode("utf-8", "surrogateescape"))
    return cache_folder() / f"pydantic-{name}-{where:08x}.pickle"


def read_entries(file: Path, key: str, module: str, models: Sequence[type[BaseModel]]) -> dict[str, Entry] | None:
    """The cached (schema, validator, serializer) of each model, or None for a missing, stale or damaged file."""
    try:
        data = file.read_bytes()
    except OSError:
        return None
    header = FORMAT + b"\n" + key.encode("ascii") + b"\n"
    if not data.startswith(header):
        return None
    return load_entries(data[len(header):], module, models)


def load_entries(data: bytes, module: str, models: Sequence[type[BaseModel]]) -> dict[str, Entry] | None:
    """Unpickle cached entries for exactly ``models``; None for anything else (never raises)."""
    try:
        entries = _Unpickler(io.BytesIO(data), module, models).load()
    except Exception:  # a damaged or foreign file is only a missed saving
        return None
    if not isinstance(entries, dict) or set(entries) != {m.__qualname__ for m in models}:
        return None
    for entry in entries.values():
        if not (isinstance(entry, tuple) and len(entry) == 3 and isinstance(entry[0], dict)
                and type(entry[1]) is SchemaValidator and type(entry[2]) is SchemaSerializer):
            return None
    return entries


def dump_entries(key: str, models: Sequence[type[BaseModel]]) -> bytes | None:
    """The cache file for built ``models``, or None when they cannot be kept faithfully.

    Not kept: validators wrapped by a pydantic plugin, a schema that cannot be pickled
    (a lambda, a local function), or one that does not read back equal.
    """
    entries = {}
    for model in models:
        schema, validator, serializer = (model.__dict__.get(a) for a in _ATTRIBUTES)
        if not (isinstance(schema, dict) and type(validator) is SchemaValidator
                and type(serializer) is SchemaSerializer):
            return None
        entries[model.__qualname__] = (schema, validator, serializer)
    try:
        body = pickle.dumps(entries, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # e.g. a default_factory written as a lambda: build every time
        return None
    back = load_entries(body, models[0].__module__, models) if models else None
    if back is None or not all(same_schema(back[n][0], entries[n][0]) for n in entries):
        return None
    return FORMAT + b"\n" + key.encode("ascii") + b"\n" + body


def same_schema(a: Any, b: Any) -> bool:
    """Two core schemas alike: equal data, the same functions and classes.

    ``==`` would do but for bound methods of annotation objects (``WithJsonSchema(...)``),
    which compare their objects by identity: a pickled copy is equal, not identical.
    """
    if type(a) is not type(b):
        return False
    if a == b:  # most of a schema, compared at C speed; only the paths to such methods are walked
        return True
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same_schema(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(same_schema(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, types.MethodType):
        return a.__func__ is b.__func__ and (a.__self__ is b.__self__ or a.__self__ == b.__self__)
    return bool(a == b)


def install(model: type[BaseModel], entry: Entry) -> None:
    """Set what pydantic's completion of a model sets: its core schema, validator and serializer."""
    schema, validator, serializer = entry
    model.__pydantic_core_schema__ = schema  # type: ignore[assignment]
    model.__pydantic_validator__ = validator  # type: ignore[assignment]
    model.__pydantic_serializer__ = serializer  # type: ignore[assignment]
    model.__pydantic_complete__ = True


def _build(models: Sequence[type[BaseModel]]) -> None:
    """pydantic's ordinary build, in the given order (so that a container reuses its parts' schemas)."""
    for model in models:
        model.model_rebuild()


def _write(file: Path, data: bytes) -> None:
    """Atomically, as usercache.write_cached does; a folder that cannot be written only costs time."""
    tmp = file.with_name(f".{file.name}.{os.getpid()}.{zlib.crc32(data):08x}")  # tempfile costs an import
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, file)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


class _Unpickler(pickle.Unpickler):
    """Resolves only the models' classes and module-level functions (and pydantic-core's validator
    and serializer classes): a cache file can name nothing else, so it can run nothing else."""

    def __init__(self, file: io.BytesIO, module: str, models: Sequence[type[BaseModel]]) -> None:
        super().__init__(file)
        # The modules whose models are finished here: style's models contain the records' Official.
        self._modules = {module, *_MODULES} | {m.__module__ for m in models}

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _CORE_CLASSES:
            return _CORE_CLASSES[(module, name)]
        if (module, name) in _ALLOWED_PYDANTIC:
            return getattr(sys.modules[module], name)
        if (module, name) == ("builtins", "getattr"):
            return self._method  # how pickle rebuilds a bound classmethod: getattr(Model, "name")
        if module in self._modules and module in sys.modules:
            parts = name.split(".")
            if parts and all(p and not p.startswith("__") for p in parts):
                value: Any = sys.modules[module]
                for part in parts:
                    value = getattr(value, part)
                if (isinstance(value, types.FunctionType) and value.__module__ in self._modules) \
                        or self._is_model(value):
                    return value
        raise pickle.UnpicklingError(f"not in a models cache: {module}.{name}")

    def _is_model(self, value: Any) -> bool:
        return isinstance(value, type) and issubclass(value, BaseModel) and value.__module__ in self._modules

    def _method(self, owner: Any, name: str) -> Any:
        if not isinstance(name, str):
            raise pickle.UnpicklingError(f"not in a models cache: {owner!r}.{name!r}")
        annotation = type(owner) in _ANNOTATION_CLASSES and name in _PYDANTIC_HOOKS  # WithJsonSchema(...)
        if annotation or (self._is_model(owner) and (not name.startswith("__") or name in _PYDANTIC_HOOKS)):
            value = getattr(owner, name)
            if isinstance(value, types.MethodType) and value.__self__ is owner:
                return value
        raise pickle.UnpicklingError(f"not in a models cache: {owner!r}.{name!r}")
