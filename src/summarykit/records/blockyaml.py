"""Plain block YAML, read line by line: what nearly every records file is, without libyaml's node objects.

A records file is mostly ``key: value`` lines and ``- item`` lines, one value per line.
PyYAML's C parser still builds a Python node (and two marks, and a resolver call) per
value, which costs three times what the values themselves do (issue 18).  This module
reads that plain subset directly into the values and the outline ``_QuickBuilder``
records (one-line ``[a, b]`` and ``{name: x, value: 7}`` included), and gives up
(returns None) on the first line that is anything else: a value wrapped over lines, a
flow collection over lines or nested, a block scalar, an escape, a tag, a comment after
a quoted value, an indentation YAML would read another way or refuse.  Then parse_yaml
reads the file as before, so every message stays what it was.

The values go through the same builder code as the composed ones (a number, a date, a
value in Chinese quotes), so the data, the notices and the marks are those of the
composed path; a property test compares the two on random and odd documents.

What yamlmarks' pre-scan (``_scan``) looks for cannot pass here, so it is not needed
first: an anchor, an alias or a tag starts a value with & * !, which this reader refuses;
a second document needs ``---`` or ``...`` at a line's start, which is neither a key nor
an item; and the depth, the values and the text are bounded below (MAX_DEPTH, MAX_NODES,
MAX_EXPANDED_CHARS), with room to spare, else libyaml's path says what is wrong.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .yamlmarks import _QuickBuilder

# The outline yamlmarks' _QuickBuilder records and this reader writes (described there, with _marks_of).
# Defined here, below yamlmarks, which imports this module.
_OPEN_MAP, _OPEN_SEQ, _CLOSE = object(), object(), object()
# PyYAML's default scalar tag.  PyYAML itself is imported only for a value that needs its resolver
# (yamlmarks._libyaml): a plain block file usually has none, and the import is ~15 ms of a cold command.
# tests/test_blockyaml.py checks both constants against PyYAML's own.
_STR_TAG = "tag:yaml.org,2002:str"

# A key this reader takes: an ASCII word directly followed by ":" and spaces or the line's end (the match
# ends where the value starts).
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]{0,99}):(?: +|$)")
# The same at a line's first non-space character, with the indent: the spaces cannot be given back, as a key
# cannot start with one, so it matches exactly when _KEY matches where the line's text starts.
_LINE_KEY = re.compile(r"( *)([A-Za-z_][A-Za-z0-9_-]{0,99}):(?: +|$)")
# Anything that could make YAML read a file otherwise than line by line, or refuse it: characters outside
# libyaml's printable set, a BOM, line separators other than \n, tabs and carriage returns.
_GIVE_UP = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
# First characters of a plain value with a meaning to YAML (indicators), and quotes (read below).
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
# First characters of the values an implicit resolver (bool, int, float, null, timestamp...) may match: the
# resolver of the safe loaders, which the builders use; any other value is text.
_FIRST_CHARS = frozenset(["", *"!&*-+0123456789.<=~yYnNtTfFoO"])  # the keys of Resolver.yaml_implicit_resolvers
_QUOTE_OPENERS = frozenset("“‘")
_KEY_STARTS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")
_FLOW_OPENERS = frozenset("[{")
_ODD_STARTS = _INDICATORS | _QUOTE_OPENERS
# First characters after which a value is not decided by _scalar's first test (plain text).
_NOT_PLAIN = _FIRST_CHARS | _ODD_STARTS
_DIGITS = frozenset("0123456789")
# What may follow "- " for the usual item line: not a space, a key, a flow collection, or a value _scalar looks at.
_ITEM_ODD = _ODD_STARTS | _FIRST_CHARS | _KEY_STARTS | {" "}
# Two kinds of value the resolver would be asked about in nearly every file: a figure and a date.
# "-0", "+5", "010" and "1_000" are not here: the builder keeps them as the text people typed.
_DECIMAL = re.compile(r"0|-?[1-9][0-9]*")
# A decimal fraction (98.5, -0.25): a float the builder keeps as a number when it prints back the same.
_FRACTION = re.compile(r"-?(?:0|[1-9][0-9]*)\.[0-9]+")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class _GiveUp(Exception):
    """The text is not the plain subset: read it with libyaml instead."""


def read_block(text: str, builder: _QuickBuilder, *, max_depth: int, max_nodes: int, max_chars: int) -> Any | None:
    """The document's value (its outline in ``builder.outline``), or None when the text is not plain block YAML.

    The limits are yamlmarks' MAX_DEPTH, MAX_NODES and MAX_EXPANDED_CHARS: near them, libyaml's path decides.

    Each content line is ``indent ("- ")* [key ":"] [value]``.  An open collection is a frame
    ``[is a mapping, column, container, waiting]``: ``waiting`` is the key whose value is still to
    come (a mapping) or True while an item has its "-" but no value yet (a sequence); a fifth
    field marks a sequence written at its key's own column (``key:`` then ``- x`` below it).
    """
    if len(text) > max_chars or text.count("\n") + 16 > max_nodes or _GIVE_UP.search(text) is not None:
        return None  # beyond the limits (libyaml's path says which), or not plain
    try:
        data = _read(text, builder, max_depth, max_nodes)
    except _GiveUp:
        return None
    # The events _scan counts (and so the values the builders count), from the outline: a key and its value
    # are two entries and two events, a list item one and one; a collection is one entry more than its
    # events (its mark or key's mark, its opening and closing, against a start and an end event); and
    # the stream and the document add four events.  tests/test_blockyaml.py checks it against libyaml.
    outline = builder.outline
    events = len(outline) - outline.count(_OPEN_MAP) - outline.count(_OPEN_SEQ) + 4
    return data if events + 16 < max_nodes else None


def _read(text: str, builder: _QuickBuilder, max_depth: int, max_nodes: int) -> Any:
    """read_block's work: one pass over the lines with a stack of open collections; _GiveUp when not plain."""
    add = builder.outline.append
    stack: list[list[Any]] = []
    root: Any = None
    key_match = _KEY.match
    line_key = _LINE_KEY.match

    def close_above(column: int) -> None:
        """Close every collection indented deeper than ``column`` (a key left without a value is null)."""
        while stack and stack[-1][1] > column:
            frame = stack.pop()
            if frame[3] is not None:
                if not frame[0]:
                    raise _GiveUp  # "-" with nothing after it: an empty item
                frame[2][frame[3]] = None
            add(_CLOSE)

    def open_in_waiting(column: int, mark: tuple[int, int], container: Any, is_map: bool) -> None:
        """A collection starting at ``column`` as the value the innermost open collection waits for."""
        top = stack[-1]
        if top[3] is None or column <= top[1]:
            raise _GiveUp
        if top[0]:
            top[2][top[3]] = container
        else:
            add(mark)  # a sequence item's mark is its value's start
            top[2].append(container)
        top[3] = None
        add(_OPEN_MAP if is_map else _OPEN_SEQ)
        stack.append([is_map, column, container, None, False])
        if len(stack) >= max_depth:
            raise _GiveUp  # deeper than a records file can be: _scan says so, at its line

    # After a usual item line, the next line that starts the same way (same indent, "- ", a plain first
    # character) is the next item of the same list, as long as no other line came between: checked first.
    follow, follow_at, follow_add = "\0", 0, add
    for number, line in enumerate(text.split("\n"), start=1):
        if (line.startswith(follow) and len(line) > follow_at and line[follow_at] not in _ITEM_ODD
                and (plain := _plain(line[follow_at:])) is not None):
            add((number, follow_at + 1))
            follow_add(plain)
            continue
        follow = "\0"
        found = line_key(line)  # the usual "key:" line: its indent and its key in one match
        if found is not None:
            column = found.end(1)
            key = found[2]
            end = len(line)
        else:
            if not line:
                continue
            column = 0
            if line[0] == " ":
                column = len(line) - len(line.lstrip(" "))
                if column == len(line):
                    continue  # a blank line
            first = line[column]
            if first == "#":
                continue  # a comment line
            end = len(line)
            if first == "-" and stack and line.startswith("- ", column):
                top = stack[-1]
                at = column + 2
                # The usual line: the next item of the innermost list, plain text (what _scalar decides first).
                if (top[1] == column and not top[0] and top[3] is None and at < end and line[at] not in _ITEM_ODD
                        and (plain := _plain(line[at:])) is not None):
                    add((number, at + 1))
                    top[2].append(plain)
                    follow, follow_at, follow_add = line[:at], at, top[2].append
                    continue
            fresh = False  # whether the innermost frame waits for a value begun on this line (after "- ")
            while first == "-" and (column + 1 == end or line[column + 1] == " "):
                if not stack:
                    raise _GiveUp  # the document is a list: an error, said by the usual path
                if stack[-1][1] > column:
                    close_above(column)
                    if not stack:
                        raise _GiveUp  # more after the document's end (indented less than its first line)
                top = stack[-1]
                if top[1] == column and not top[0]:  # the next item of this sequence
                    if top[3] is not None:
                        raise _GiveUp
                    top[3] = True
                elif top[1] == column and top[3] is not None:  # key:\n- item (the same column)
                    items: list[Any] = []
                    top[2][top[3]] = items
                    top[3] = None
                    add(_OPEN_SEQ)
                    stack.append([False, column, items, True, True])
                    if len(stack) >= max_depth:
                        raise _GiveUp
                else:
                    open_in_waiting(column, (number, column + 1), [], False)
                    stack[-1][3] = True
                column += 1
                while column < end and line[column] == " ":
                    column += 1
                fresh = True
                if column == end:
                    break
                first = line[column]
            if column == end or first == "#":
                continue  # "-" with its value on the lines below (blank and comment lines were skipped above)
            found = key_match(line, column) if first in _KEY_STARTS else None
            if found is None:
                if not fresh:
                    raise _GiveUp  # a line of text alone: a wrapped value, or something YAML reads otherwise
                top = stack[-1]  # the list whose item this is (the loop above left it waiting)
                add((number, column + 1))
                if first in _NOT_PLAIN or (plain := _plain(line[column:])) is None:
                    top[2].append(_scalar(line, column, number, builder) if first not in _FLOW_OPENERS
                                  else _flow(line, column, number, builder, max_nodes))
                else:  # _scalar's first test, inlined (as below): plain text, nearly every value
                    top[2].append(plain)
                top[3] = None
                follow, follow_at, follow_add = " " * top[1] + "- ", top[1] + 2, top[2].append
                continue
            key = found[1]
        mark = (number, column + 1)
        if not stack:
            if root is not None:
                raise _GiveUp  # more after the document's end
            root = {}
            add(mark)
            add(_OPEN_MAP)
            top = [True, column, root, None, False]
            stack.append(top)
        else:
            if stack[-1][1] > column:
                close_above(column)
                if not stack:
                    raise _GiveUp  # more after the document's end (indented less than its first line)
            top = stack[-1]
            if top[4] and top[1] == column:  # the end of a key's same-column sequence
                if top[3] is not None:
                    raise _GiveUp
                stack.pop()
                add(_CLOSE)
                top = stack[-1]
            if top[0] and top[1] == column:
                if top[3] is not None:
                    top[2][top[3]] = None
            else:
                open_in_waiting(column, mark, {}, True)
                top = stack[-1]
        mapping = top[2]
        if key in mapping:
            raise _GiveUp  # a key given twice: said with both lines by the usual path
        add(key)
        add(mark)
        column = found.end()
        if column == end or line[column] == "#":
            top[3] = key  # the value is below (or the key is left empty)
            continue
        first = line[column]
        if first in _NOT_PLAIN or (plain := _plain(line[column:])) is None:
            mapping[key] = (_scalar(line, column, number, builder) if first not in _FLOW_OPENERS
                            else _flow(line, column, number, builder, max_nodes))
        else:
            mapping[key] = plain
        top[3] = None
    if root is None:
        raise _GiveUp  # nothing but comments: the usual path says so
    close_above(-1)
    return root


def _flow(line: str, start: int, number: int, builder: _QuickBuilder, max_nodes: int) -> Any:
    """The one-line ``[a, b]`` or ``{k: v, ...}`` written from ``start`` to the line's end (plain or quoted items)."""
    first = line[start]
    close = line.find("]" if first == "[" else "}", start + 1)
    if close == -1 or line[close + 1:].strip(" "):
        raise _GiveUp  # continued on the next line, or text or a comment after it
    inner = line[start + 1:close]
    if any(ch in inner for ch in "[]{}#"):
        raise _GiveUp  # nested or commented: libyaml reads it (a quoted item is read by _scalar, or refused)
    if inner.count(",") + len(builder.outline) + 16 > max_nodes:
        raise _GiveUp  # more values than a records file may have: said by libyaml's path
    add = builder.outline.append
    if first == "[":
        add(_OPEN_SEQ)
        items: list[Any] = []
        if inner.strip(" "):
            at = start + 1
            for part in inner.split(","):
                lead = len(part) - len(part.lstrip(" "))
                if ":" in part or not part.strip(" "):
                    raise _GiveUp  # "[a: b]" is a mapping item; an empty item or a trailing comma
                add((number, at + lead + 1))
                items.append(_scalar(part, lead, number, builder, at))
                at += len(part) + 1
        add(_CLOSE)
        return items
    add(_OPEN_MAP)
    mapping: dict[str, Any] = {}
    if inner.strip(" "):
        at = start + 1
        for part in inner.split(","):
            lead = len(part) - len(part.lstrip(" "))
            found = _KEY.match(part, lead)
            if found is None or part.count(":") != 1 or found.end() == len(part):
                raise _GiveUp  # not "word: value"
            key = found.group(1)
            if key in mapping:
                raise _GiveUp
            add(key)
            add((number, at + lead + 1))
            mapping[key] = _scalar(part, found.end(), number, builder, at)
            at += len(part) + 1
    add(_CLOSE)
    return mapping


def _scalar(line: str, start: int, number: int, builder: _QuickBuilder, offset: int = 0) -> Any:
    """The value written from ``start`` to the line's end: what the builder makes of libyaml's scalar.

    ``line`` is the line, or one item of a flow collection that starts at column ``offset`` of it.

    The usual value (plain text, not starting with a character any resolver or indicator looks at,
    no comment, no colon, no trailing space) is decided first, in a few substring tests.
    """
    first = line[start]
    if first not in _NOT_PLAIN and (plain := _plain(line[start:])) is not None:
        return plain
    if first in _DIGITS and (value := line[start:]).isdigit() and value.isascii() and len(value) <= 40 and (
            first != "0" or len(value) == 1):
        return int(value)  # a figure alone on its line: what _any_scalar decides with _DECIMAL below
    return _any_scalar(line, start, number, builder, offset)


def _plain(value: str) -> str | None:
    """A value that starts plainly, as the builder keeps plain text: stripped (full-width spaces too);
    None unless it is plain text (no comment, no colon, no trailing space, not in Chinese quotes once
    stripped, which the builder takes off with a notice) — then _any_scalar decides it."""
    if " #" in value or ": " in value or value[-1] == " " or value[-1] == ":":
        return None
    stripped = value.strip()
    return stripped if not stripped or stripped[0] not in _QUOTE_OPENERS else None


def _any_scalar(line: str, start: int, number: int, builder: _QuickBuilder, offset: int) -> Any:
    """_scalar for any value: quoted, with a comment, a number, a date, a word YAML reads as true or null..."""
    first = line[start]
    if first == '"' or first == "'":
        close = line.find(first, start + 1)
        if first == "'":
            while close != -1 and line.startswith("''", close):
                close = line.find("'", close + 2)
        if close == -1:
            raise _GiveUp  # the quote ends on a later line
        rest = line[close + 1:]
        if rest.strip(" "):
            raise _GiveUp  # text or a comment after the quote
        value = line[start + 1:close]
        if first == '"':
            if "\\" in value:
                raise _GiveUp  # escapes
        else:
            value = value.replace("''", "'")
        return value
    if first in _INDICATORS and not (first == "-" and start + 1 < len(line) and line[start + 1] != " "):
        raise _GiveUp
    value = line[start:]
    comment = value.find(" #")
    if comment != -1:
        value = value[:comment]
    value = value.rstrip(" ")  # what libyaml gives: trailing spaces are not part of a plain value
    if ": " in value or value.endswith(":"):
        raise _GiveUp  # YAML reads another "key: value" here (an error)
    if _DECIMAL.fullmatch(value) is not None and len(value) <= 40:
        return int(value)  # what the builder makes of an int it can give back with the same digits
    if _DATE.fullmatch(value) is not None:
        return value  # a timestamp: dates are parsed by the model (the builder gives the text)
    if _FRACTION.fullmatch(value) is not None and len(value) <= 40:
        fraction = float(value)  # what the float constructor gives for these digits
        return fraction if str(fraction) == value else value  # 1.10 keeps the digits people typed
    # Every implicit resolver is an ASCII pattern: a value with any other character (2026年, 3月份) is text.
    if value[0] not in _FIRST_CHARS or not value.isascii():
        tag = _STR_TAG
    else:
        import yaml

        tag = builder._scalar.resolve(yaml.ScalarNode, value, (True, False))
    if tag == _STR_TAG:
        stripped = value.strip()
        if not stripped or stripped[0] not in _QUOTE_OPENERS:
            return stripped
    import yaml

    mark = yaml.Mark("", 0, number - 1, offset + start, None, None)
    return builder._scalar_value(yaml.ScalarNode(tag, value, mark, mark, ""), ())
