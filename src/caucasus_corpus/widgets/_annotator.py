"""``annotator``: annotate an article in JupyterLab by selecting text, every save on disk at once.

The widget is an ``anywidget`` (ipywidgets 8); its JavaScript and CSS are files of this package
(``static/annotator.js``, ``static/annotator.css``), sent to the browser by the kernel, so it
works offline. Every change goes through an :class:`~caucasus_corpus.authoring.session.AnnotationSession`,
so it is checked by the one checker and written by the one write path before the widget says
"saved"; the session re-reads the article's records under the release lock at each save, so
two widgets (or a widget and a script) on one article keep each other's records.

Offsets: a browser counts text in UTF-16 code units, the records in code points; an emoji or any
other character outside the Basic Multilingual Plane is two units but one code point. The
conversion happens here and only here (:func:`utf16_to_codepoint`, :func:`codepoint_to_utf16`):
the browser sends and receives UTF-16 offsets; the session sees code points.

The browser shows everything with ``textContent`` (never ``innerHTML``), so a text or a name
containing markup displays as text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anywidget
import traitlets

from ..authoring.session import AnnotationSession, annotate
from ..errors import CorpusError
from ..vocab import ACTOR_KINDS, ATTRIBUTIONS, CLAIM_TYPES, EXPLICITNESS, LAYER_ATTRIBUTES, LAYERS, MENTION_FORMS, PLOVER_MODES, POLARITIES

_STATIC = Path(__file__).parent / "static"
_ACTOR_KEYS = ("actor", "speaker", "holder", "via", "target")


def codepoint_to_utf16(text: str, offset: int) -> int:
    """The UTF-16 offset of code point ``offset`` of ``text``.

    >>> codepoint_to_utf16("a\\U0001f30ab", 2)
    3
    """
    return offset + sum(1 for ch in text[:offset] if ord(ch) > 0xFFFF)


def utf16_to_codepoint(text: str, offset: int) -> int:
    """The code point offset of UTF-16 offset ``offset`` of ``text`` (``ValueError`` when it falls
    inside a surrogate pair, which no selection of whole characters does).

    >>> utf16_to_codepoint("a\\U0001f30ab", 3)
    2
    """
    units = 0
    for i, ch in enumerate(text):
        if units == offset:
            return i
        units += 2 if ord(ch) > 0xFFFF else 1
        if units > offset:
            raise ValueError(f"UTF-16 offset {offset} falls inside the character at {i}; select whole characters")
    if units == offset:
        return len(text)
    raise ValueError(f"UTF-16 offset {offset} is past the end of the text ({units} units)")


def _count(n: int, word: str) -> str:
    """``"1 record"``, ``"2 records"``."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def _missing(value: Any) -> bool:
    """True for the frame's empty cells (<NA>, NaN, None)."""
    import pandas as pd  # the widgets load pandas anyway; here so the module's imports stay as they were

    return value is None or (not isinstance(value, (list, tuple)) and bool(pd.isna(value)))


class Annotator(anywidget.AnyWidget):
    """The widget :func:`annotator` returns. ``session`` is its :class:`AnnotationSession`.

    Code (and tests) drive it as the browser does, with :meth:`handle` and messages in UTF-16
    offsets: ``{"op": "save", "layer": "claim", "start": 10, "end": 20, "attrs": {...},
    "cue": [s, e]}``, ``{"op": "update", "id": ..., "attrs": {...}}``, ``{"op": "delete", "id": ...}``,
    ``{"op": "undo"}``, ``{"op": "add_actor", "actor_id": ..., "name": ..., "kind": ..., "aliases": [...]}``.
    Suggestions mode: ``{"op": "suggest", "layers": [...]}`` fills ``suggestions``;
    ``{"op": "accept", "id": ..., "attrs": {...}, "cue": [s, e], "start": s, "end": e}`` (fixes
    optional), ``{"op": "reject", "id": ...}``, ``{"op": "accept_all", "ids": [...]}`` (the ids
    :meth:`preview` showed for one layer). ``status`` says what happened (``error: ...`` when a change was refused and nothing saved).
    """

    _esm = _STATIC / "annotator.js"
    _css = _STATIC / "annotator.css"

    article_id = traitlets.Unicode().tag(sync=True)
    text = traitlets.Unicode().tag(sync=True)
    records = traitlets.List().tag(sync=True)
    actors = traitlets.List().tag(sync=True)
    topics = traitlets.List().tag(sync=True)
    cameo = traitlets.List().tag(sync=True)
    vocab = traitlets.Dict().tag(sync=True)
    status = traitlets.Unicode().tag(sync=True)
    can_undo = traitlets.Bool(False).tag(sync=True)
    # Open machine suggestions (Suggestions mode), with UTF-16 offsets like records.
    suggestions = traitlets.List().tag(sync=True)

    def __init__(self, session: AnnotationSession) -> None:
        super().__init__()
        self.session = session
        self.article_id = session.article_id
        self.text = session.text
        self.cameo = [[code, name] for code, name in sorted(session.cameo.items())]
        self.vocab = {"layers": list(LAYERS), "attributes": {k: list(v) for k, v in LAYER_ATTRIBUTES.items()},
                      "form": list(MENTION_FORMS), "attribution": list(ATTRIBUTIONS), "claim_type": list(CLAIM_TYPES),
                      "explicitness": list(EXPLICITNESS), "plover_mode": list(PLOVER_MODES),
                      "polarity": list(POLARITIES), "kind": list(ACTOR_KINDS)}
        self._refresh()
        self.on_msg(lambda _w, content, _buffers: self.handle(content))

    def _refresh(self) -> None:
        text = self.text
        shown = []
        for r in self.session.record_list():
            rec = dict(r)
            rec["u16_start"], rec["u16_end"] = codepoint_to_utf16(text, r["start"]), codepoint_to_utf16(text, r["end"])
            if isinstance(r.get("cue"), dict):
                rec["cue"] = dict(r["cue"], u16_start=codepoint_to_utf16(text, r["cue"]["start"]),
                                  u16_end=codepoint_to_utf16(text, r["cue"]["end"]))
            shown.append(rec)
        self.records = shown
        self.actors = [{"id": a["actor_id"], "name": a["name"], "aliases": list(a["aliases"])} for a in self.session.actors]
        self.topics = [{"id": t.get("topic_id", ""), "label": t.get("label", "")} for t in self.session.topics]
        self.can_undo = self.session.can_undo

    def _attrs(self, layer: str, attrs: dict[str, Any], *, removing: bool) -> dict[str, Any]:
        """Form values as session arguments: empty means absent (or removed, on update)."""
        out: dict[str, Any] = {}
        for key, value in attrs.items():
            if key not in LAYER_ATTRIBUTES[layer] or key == "cue":
                continue
            if key == "targets":  # a list, possibly empty (a claim always has one)
                out[key] = [str(t).strip() for t in value if str(t).strip()] if isinstance(value, list) else \
                    [t.strip() for t in str(value or "").split(",") if t.strip()]
                continue
            if isinstance(value, str):
                value = value.strip()
            if value in ("", None):
                if removing:
                    out[key] = None
                continue
            out[key] = value
        return out

    def _cue(self, cue: Any) -> dict[str, Any]:
        if cue is None:
            return {}
        if cue == "":
            return {"cue": None}
        start, end = (utf16_to_codepoint(self.text, int(x)) for x in cue)
        return {"cue_start": start, "cue_end": end}

    # -- Suggestions mode (caucasus_corpus.authoring.suggestions) ---------------------------------
    def _show_suggestions(self, frame: Any) -> None:
        text = self.text
        shown = []
        for row in frame.to_dict("records"):
            item = {k: (None if k != "targets" and _missing(v) else v) for k, v in row.items()}
            item["targets"] = list(row["targets"])
            for k in ("start", "end", "cue_start", "cue_end"):
                item[k] = None if item[k] is None else int(item[k])
            item["confidence"] = float(row["confidence"])
            item["u16_start"], item["u16_end"] = codepoint_to_utf16(text, item["start"]), codepoint_to_utf16(text, item["end"])
            if item["cue_start"] is not None:
                item["u16_cue"] = [codepoint_to_utf16(text, item["cue_start"]), codepoint_to_utf16(text, item["cue_end"])]
            shown.append(item)
        self.suggestions = shown

    def preview(self, layer: str) -> list[dict[str, Any]]:
        """The open suggestions of ``layer`` that "accept all" would save, as shown before confirming."""
        return [s for s in self.suggestions if s["layer"] == layer]

    def _suggestion_op(self, op: str, content: dict[str, Any]) -> str:
        from ..authoring.suggestions import accept_all

        if op == "suggest":
            self._suggest_layers = tuple(content.get("layers") or ("mention", "claim", "threat"))
            self._show_suggestions(self.session.suggest(layers=self._suggest_layers))
            return f"{_count(len(self.suggestions), 'suggestion')} (not records until accepted)"
        if op == "accept_all":
            ids = [str(i) for i in content.get("ids") or []]  # exactly the previewed suggestions
            if not ids:
                raise ValueError("accept all: no suggestions were previewed")
            saved = accept_all(self.session, ids)
            done = f"saved {_count(len(saved), 'record')}: {', '.join(saved)}"
        elif op == "reject":
            what = next((s for s in self.suggestions if s["suggestion_id"] == content["id"]), None)
            sid = self.session.reject(content["id"])
            done = f"rejected the suggestion {sid}" if what is None else \
                f"rejected the suggested {what['layer']} \u201c{what['text']}\u201d ({sid}); Undo offers it again"
        else:
            sid = content["id"]
            layer = next((s["layer"] for s in self.suggestions if s["suggestion_id"] == sid), None)
            if layer is None:
                raise KeyError(f"unknown suggestion {sid!r}; press Suggestions again")
            fixes = {**self._attrs(layer, content.get("attrs", {}), removing=False), **self._cue(content.get("cue"))}
            if content.get("start") is not None:
                fixes.update(start=utf16_to_codepoint(self.text, int(content["start"])),
                             end=utf16_to_codepoint(self.text, int(content["end"])))
            done = f"saved {self.session.accept(sid, **fixes)}"
        self._show_suggestions(self.session.suggest(layers=getattr(self, "_suggest_layers", ("mention", "claim", "threat"))))
        return done

    def handle(self, content: dict[str, Any]) -> str:
        """Carry out one message from the browser; returns (and shows) the status line."""
        self.status = ""  # so that the same status twice ("saved c001") still reaches the browser
        try:
            op = content.get("op")
            if op == "save":
                layer = content["layer"]
                start, end = (utf16_to_codepoint(self.text, int(content[k])) for k in ("start", "end"))
                fields = {**self._attrs(layer, content.get("attrs", {}), removing=False), **self._cue(content.get("cue"))}
                rid = getattr(self.session, layer)(start=start, end=end, **fields)
                self.status = f"saved {rid}"
            elif op == "update":
                rid = content["id"]
                layer = self.session.record(rid)["layer"]
                fields = {**self._attrs(layer, content.get("attrs", {}), removing=True), **self._cue(content.get("cue"))}
                self.session.update(rid, **fields)
                self.status = f"saved {rid}"
            elif op == "delete":
                self.session.delete(content["id"])
                self.status = f"deleted {content['id']}"
            elif op == "undo":
                done = self.session.undo()
                if hasattr(self, "_suggest_layers"):  # an undone accept or reject offers its suggestion again
                    self._show_suggestions(self.session.suggest(layers=self._suggest_layers))
                self.status = f"undone: {done}"
            elif op == "add_actor":
                aliases = content.get("aliases") or []
                if isinstance(aliases, str):
                    aliases = [a.strip() for a in aliases.split(",") if a.strip()]
                aid = self.session.add_actor(content["actor_id"], name=content["name"], kind=content["kind"], aliases=aliases)
                self.status = f"saved actor {aid}"
            elif op == "reload":
                self.session.reload()
                self.status = "reloaded"
            elif op in ("suggest", "accept", "reject", "accept_all"):
                self.status = self._suggestion_op(op, content)
            else:
                raise ValueError(f"unknown operation {op!r}")
        except (ValueError, KeyError, CorpusError) as exc:
            message = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
            self.status = f"error: nothing saved: {message}"
            try:
                self.session.reload()  # show what is on disk, e.g. another writer's records
            except CorpusError:
                pass
        self._refresh()
        return self.status


def annotator(release: str | Path, article_id: str, *, annotator: str, independent: bool = False) -> Annotator:
    """Annotate ``article_id`` of the release folder ``release`` in JupyterLab.

    Select text with the mouse (it becomes the new record's span), pick the layer, fill the
    attributes (actors by name or any alias); for a claim or threat select the cue too and press
    "selection as cue" (in either order: the cue never replaces the span; both are marked), then
    save (the Save button, or Enter in a field); click a highlighted span to edit or delete its
    record; Undo (or Ctrl+Z) takes back the last change, an accepted or rejected suggestion too.
    Keys typed in the widget stay in it (Shift+Enter does not run the cell). The legend's ticks
    hide layers; cues of saved records are underlined.
    Every save is checked and on disk at once (a kernel restart loses nothing saved); the line
    under the buttons says what is not saved yet.

    ``independent=True`` annotates apart from the gold, for measuring agreement (as
    ``cc.annotate(..., independent=True)``): only this annotator's own records are shown and saved.
    """
    widget = Annotator(annotate(release, article_id, annotator=annotator, independent=independent))
    if independent:
        widget.status = f"independent annotation by {annotator}: only your own records are shown"
    return widget
