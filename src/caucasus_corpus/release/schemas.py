"""The JSON Schemas a release ships, made safe to apply to a release someone else made.

A release is checked with its own schemas, so a schema is hostile input too:

* ``$ref`` resolves only inside the same schema file or to another schema file of the same
  release (by its ``$id``); jsonschema would otherwise fetch ``http(s)://`` and ``file://``
  references, sending a request or reading a file outside the folder;
* ``pattern`` and ``patternProperties`` run on the ``regex`` engine with a time limit (a pattern
  such as ``(a+)+$`` backtracks for minutes), and ``$`` means the end of the string as in
  ECMA-262, the dialect JSON Schema patterns are written in (Python's ``$`` also matches before a
  trailing newline, which let ``"m1\\n"`` pass as an id);
* ``integer`` means a JSON integer: ``5.0`` and ``1e300`` are numbers, not offsets;
* a schema that is not valid JSON, not a valid JSON Schema or has duplicate keys is reported
  with its file and line instead of a traceback.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from typing import Any

from ..errors import CorpusError, CorpusFormatError
from .files import read_json
from .layout import MANIFEST_NAME

# Time one pattern may take on one value, and all pattern matching of one schema together.
PATTERN_TIMEOUT = 0.5
PATTERN_BUDGET = 10.0
MAX_PATTERN_LENGTH = 1000


def _where(path: str, text: str, value: object, key: str | None = None) -> str:
    """``path:line`` of the first ``"key": value`` (or of ``value`` alone) in a schema's text."""
    shown = [json.dumps(value, ensure_ascii=False), json.dumps(value)] if isinstance(value, str) else [str(value)]
    for form in shown:
        needle = re.escape(form) if key is None else rf'"{re.escape(key)}"\s*:\s*{re.escape(form)}'
        m = re.search(needle, text)
        if m:
            return f"{path}:{text.count(chr(10), 0, m.start()) + 1}"
    return path


def ecma_pattern(pattern: str) -> str:
    """``pattern`` with every ``$`` anchor turned into ``\\Z`` (ECMA-262's end of input).

    >>> ecma_pattern("^[a-z]+$"), ecma_pattern(r"^a\\$[$]$")
    ('^[a-z]+\\\\Z', '^a\\\\$[$]\\\\Z')
    """
    out, i, in_class, class_start = [], 0, False, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            out.append(pattern[i : i + 2])
            i += 2
            continue
        i += 1
        if in_class:
            in_class = c != "]" or class_start  # a ']' right after '[' or '[^' is literal
            class_start = False
            out.append(c)
        elif c == "[":
            in_class = class_start = True
            out.append(c)
            if pattern[i : i + 1] == "^":
                out.append("^")
                i += 1
        else:
            out.append("\\Z" if c == "$" else c)
    return "".join(out)


def _walk(node: Any, key: str) -> Iterator[Any]:
    """Every value stored under ``key`` anywhere in a JSON document."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k == key:
                yield v
            yield from _walk(v, key)
    elif isinstance(node, list):
        for v in node:
            yield from _walk(v, key)


class SchemaSet:
    """The schema files of one release, parsed and checked, giving validators that stay inside it."""

    def __init__(self, files: dict[str, bytes], *, known_valid: bool = False) -> None:
        """``known_valid``: these bytes passed the whole check before (see :mod:`.checkcache`),
        so :meth:`validator` gives None and no schema is applied again."""
        self.files = files
        self.known_valid = known_valid
        self._parsed: dict[str, tuple[Any, str]] = {}

    def _load(self, path: str) -> tuple[Any, str]:
        if path in self._parsed:
            return self._parsed[path]
        if path not in self.files:
            raise CorpusError(f"{MANIFEST_NAME}: the schema {path} is not listed; add it to the release")
        schema = read_json(self.files[path], path, fix="restore the schema from the release")
        text = self.files[path].decode("utf-8")
        if not isinstance(schema, dict):
            raise CorpusFormatError(f"{path}:1: a schema must be a JSON object")
        self._parsed[path] = (schema, text)
        return schema, text

    def _registry(self):  # type: ignore[no-untyped-def]
        from referencing import Registry, Resource
        from referencing.exceptions import NoSuchResource
        from referencing.jsonschema import DRAFT202012

        def refuse(uri: str):  # type: ignore[no-untyped-def]
            raise NoSuchResource(ref=uri)  # never fetched: not a schema of this release

        resources = []
        for path in sorted(p for p in self.files if p.endswith(".schema.json")):
            try:
                schema, _text = self._load(path)
            except CorpusError:
                continue  # reported when that schema itself is used
            resources.append((str(schema.get("$id") or path), Resource.from_contents(schema, default_specification=DRAFT202012)))
        return Registry(retrieve=refuse).with_resources(resources)  # type: ignore[call-arg]

    def _check_references(self, path: str, text: str, schema: dict, registry) -> None:  # type: ignore[no-untyped-def]
        """Refuse every ``$ref`` / ``$dynamicRef`` that does not resolve inside the release's schemas."""
        from referencing.exceptions import Unresolvable

        resolver = registry.resolver(base_uri=str(schema.get("$id") or path))
        for key in ("$ref", "$dynamicRef"):
            for ref in _walk(schema, key):
                try:
                    if not isinstance(ref, str):
                        raise TypeError
                    resolver.lookup(ref)
                except (Unresolvable, TypeError, ValueError, LookupError):
                    raise CorpusFormatError(
                        f"{_where(path, text, ref, key)}: {key} {ref!r} does not resolve inside this release's "
                        "schemas; a release is checked with its own schemas only, so refer to a part of this "
                        "file ('#/$defs/...') or to another schema file of the release by its $id"
                    ) from None

    def validator(self, path: str):  # type: ignore[no-untyped-def]
        """A Draft 2020-12 validator for the schema at ``path``, or ``CorpusFormatError`` (file:line);
        None when the schemas are known to pass (``known_valid``)."""
        if self.known_valid:
            return None
        import regex
        from jsonschema import Draft202012Validator, ValidationError
        from jsonschema.exceptions import SchemaError
        from jsonschema.validators import extend

        schema, text = self._load(path)
        try:
            Draft202012Validator.check_schema(schema)
        except SchemaError as exc:
            where = _where(path, text, exc.path[-1]) if exc.path else path
            raise CorpusFormatError(f"{where}: not a valid JSON Schema: {exc.message}; restore the schema from the release") from None
        except RecursionError:
            raise CorpusFormatError(f"{path}: nested too deeply to check; restore the schema from the release") from None

        compiled: dict[str, Any] = {}
        spent = [0.0]

        def compile_(pattern: str):  # type: ignore[no-untyped-def]
            if pattern not in compiled:
                where = _where(path, text, pattern, "pattern")
                if len(pattern) > MAX_PATTERN_LENGTH:
                    raise CorpusFormatError(f"{where}: a pattern of {len(pattern)} characters is longer than "
                                            f"{MAX_PATTERN_LENGTH}; simplify it")
                try:
                    compiled[pattern] = regex.compile(ecma_pattern(pattern))
                except regex.error as exc:
                    raise CorpusFormatError(f"{where}: pattern {pattern!r} is not a valid regular expression: {exc}") from None
            return compiled[pattern]

        def search(pattern: str, value: str) -> bool:
            started = time.perf_counter()
            try:
                timeout = min(PATTERN_TIMEOUT, max(0.01, PATTERN_BUDGET - spent[0]))
                return compile_(pattern).search(value, timeout=timeout) is not None
            except TimeoutError:
                raise CorpusFormatError(
                    f"{_where(path, text, pattern, 'pattern')}: pattern {pattern!r} takes too long on a value of {len(value)} "
                    "characters (it backtracks catastrophically, e.g. nested repetition like (a+)+); simplify it"
                ) from None
            finally:
                spent[0] += time.perf_counter() - started

        def pattern_(validator, patrn, instance, schema):  # type: ignore[no-untyped-def]
            if validator.is_type(instance, "string") and not search(patrn, instance):
                yield ValidationError(f"{instance!r} does not match {patrn!r}")

        def pattern_properties(validator, patterns, instance, schema):  # type: ignore[no-untyped-def]
            if validator.is_type(instance, "object"):
                for patrn, subschema in patterns.items():
                    for k, v in instance.items():
                        if search(patrn, k):
                            yield from validator.descend(v, subschema, path=k, schema_path=patrn)

        # A JSON integer only: jsonschema's default also takes 5.0, which is no offset.
        types = Draft202012Validator.TYPE_CHECKER.redefine(
            "integer", lambda _checker, value: isinstance(value, int) and not isinstance(value, bool)
        )
        cls = extend(Draft202012Validator, {"pattern": pattern_, "patternProperties": pattern_properties}, type_checker=types)
        registry = self._registry()
        try:
            self._check_references(path, text, schema, registry)
            for patrn in _walk(schema, "pattern"):
                if isinstance(patrn, str):
                    compile_(patrn)
        except RecursionError:
            raise CorpusFormatError(f"{path}: nested too deeply to check; restore the schema from the release") from None
        return cls(schema, registry=registry)


def schema_errors(validator, instance: object):  # type: ignore[no-untyped-def]
    """``validator.iter_errors(instance)`` as a list; a reference that fails at run time (e.g.
    behind a ``$dynamicRef``) becomes a ``CorpusFormatError`` instead of a traceback."""
    from referencing.exceptions import Unresolvable

    try:
        return list(validator.iter_errors(instance))
    except Unresolvable as exc:
        raise CorpusFormatError(f"a schema reference does not resolve inside this release's schemas: {exc}") from None
    except RecursionError:
        raise CorpusFormatError("a schema or value is nested too deeply to check") from None
