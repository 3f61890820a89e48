"""``adjudicator``: resolve two (or more) annotators' disagreements side by side, then write the gold.

A thin widget over :class:`caucasus_corpus.reliability.Adjudication`: every button calls one of its
methods, so what the widget does is what code does. Nothing reaches the release until **Write
gold** is pressed; then agreed units and decided disagreements are written and logged in one commit.

"Edit a version" starts from one annotator's version: its span and cue are marked in the
article's text, a new span is picked by selecting it with the mouse (the cue with the mouse and
"selection as cue"), and the attributes are form fields; no offsets or JSON are typed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import anywidget
import ipywidgets as w
import traitlets

from .. import _html
from ..errors import CorpusError
from ..reliability.adjudication import Adjudication, Item, adjudicate
from ..vocab import ATTRIBUTIONS, CLAIM_TYPES, EXPLICITNESS, LAYER_ATTRIBUTES, MENTION_FORMS, PLOVER_MODES, POLARITIES
from ._annotator import codepoint_to_utf16, utf16_to_codepoint

_STATIC = Path(__file__).parent / "static"
# Characters of text shown on each side of a span.
CONTEXT = 80
# Attributes edited with a list of choices (the others are text; targets comma-separated).
_CHOICES = {"form": MENTION_FORMS, "attribution": ATTRIBUTIONS, "claim_type": CLAIM_TYPES,
            "explicitness": EXPLICITNESS, "plover_mode": PLOVER_MODES, "polarity": POLARITIES}


def _record_html(text: str, item: Item, rec: dict[str, Any]) -> str:
    left = text[max(0, rec["start"] - CONTEXT):rec["start"]]
    right = text[rec["end"]:rec["end"] + CONTEXT]
    context = f'…{_html.esc(left)}<mark>{_html.esc(rec["text"])}</mark>{_html.esc(right)}…'
    attrs = "".join(f"<li><b>{_html.esc(k)}</b>: {_html.esc(_shown(rec[k]))}</li>"
                    for k in LAYER_ATTRIBUTES[item.layer] if k in rec)
    return f'<p class="cc-context">{context}</p><p>{_html.esc(rec.get("id", ""))}</p><ul>{attrs}</ul>'


def _shown(value: Any) -> str:
    if isinstance(value, dict) and "text" in value:  # a cue
        return f"\u201c{value['text']}\u201d"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def version_html(text: str, item: Item) -> str:
    """Each annotator's version of ``item`` side by side: the span in its context, and its attributes."""
    cells = []
    for name, rec in item.versions.items():
        body = _html.message(f"{name} did not mark this.") if rec is None else _record_html(text, item, rec)
        cells.append(f'<td style="vertical-align:top;width:{100 // len(item.versions)}%"><h4>{_html.esc(name)}</h4>{body}</td>')
    return f'<table class="cc-table cc-adjudicate"><tr>{"".join(cells)}</tr></table>'


def decision_text(decision: dict[str, Any] | None) -> str:
    """What a decision did, in words: whose version was taken.

    >>> decision_text({"decision": "chose", "chosen": "ann-b"})
    "took ann-b's version"
    >>> decision_text(None)
    'open'
    """
    if decision is None:
        return "open"
    kind = decision["decision"]
    if kind == "chose":
        return f"took {decision['chosen']}'s version"
    return {"edited": "took an edited version", "rejected": "rejected every version"}.get(kind, kind)


class SpanPicker(anywidget.AnyWidget):
    """The article's text with a span and a cue marked; a mouse selection comes back in
    ``selection`` (UTF-16 units, as the browser counts; :class:`Adjudicator` converts)."""

    _esm = _STATIC / "spanpick.js"
    text = traitlets.Unicode("").tag(sync=True)
    span = traitlets.List([]).tag(sync=True)
    cue = traitlets.List([]).tag(sync=True)
    selection = traitlets.List([]).tag(sync=True)


class Adjudicator(w.VBox):
    """The widget :func:`adjudicator` returns; ``adjudication`` is its :class:`Adjudication`.

    Its parts are attributes so that code (and tests) can drive it: ``item`` (Dropdown) picks a
    disagreement, ``versions`` (HTML) shows the annotators' versions side by side and, for a unit
    decided before, the gold it holds now; ``choose_buttons[name]`` takes that annotator's
    version, ``reject_button`` takes neither, ``reopen_button`` takes a decision back, ``note`` is
    stored with a decision. Editing: ``edit_base`` picks the version to start from, ``picker``
    (its ``selection``, as the browser sets it) picks the span with the mouse, ``cue_button`` makes
    the last selection the cue, ``edit_fields[attribute]`` hold the attributes, ``edit_button``
    takes the edit. ``write_button`` writes the gold and the log; ``status`` says what happened.
    Buttons that have nothing to act on are disabled.
    """

    def __init__(self, adjudication: Adjudication) -> None:
        self.adjudication = adjudication
        self.summary = w.HTML()
        self.item = w.Dropdown(description="unit", layout=w.Layout(width="95%"))
        self.versions = w.HTML()
        self.choose_buttons = {name: w.Button(description=f"Take {name}'s version", layout=w.Layout(width="auto")) for name in adjudication.annotators}
        self.reject_button = w.Button(description="Reject all")
        self.reopen_button = w.Button(description="Reopen")
        self.note = w.Text(description="note", layout=w.Layout(width="95%"))
        self.edit_base = w.Dropdown(description="start from")
        self.picker = SpanPicker(text=adjudication.text)
        self.edit_span = w.HTML()
        self.cue_button = w.Button(description="Selection as cue")
        self.no_cue_button = w.Button(description="No cue")
        self.edit_fields: dict[str, w.Widget] = {}
        self.edit_attributes = w.VBox()
        self.edit_button = w.Button(description="Take this edit")
        self.write_button = w.Button(description="Write gold", button_style="primary")
        self.status = w.HTML()
        self._span: tuple[int, int] | None = None
        self._cue: tuple[int, int] | None = None
        self._before_selection: tuple[int, int] | None = None
        self._selected: tuple[int, int] | None = None
        for name, button in self.choose_buttons.items():
            button.on_click(lambda _b, name=name: self._act(lambda i: self.adjudication.choose(i, name, note=self.note.value)))
        self.reject_button.on_click(lambda _b: self._act(lambda i: self.adjudication.reject(i, note=self.note.value)))
        self.reopen_button.on_click(lambda _b: self._act(self.adjudication.reopen))
        self.edit_button.on_click(lambda _b: self._act(self._edit))
        self.cue_button.on_click(lambda _b: self._take_cue())
        self.no_cue_button.on_click(lambda _b: self._set_cue(None))
        self.write_button.on_click(lambda _b: self._write())
        self.item.observe(lambda _c: self._show(), names="value")
        self.edit_base.observe(lambda _c: self._fill_edit(), names="value")
        self.picker.observe(lambda _c: self._picked(), names="selection")
        edit = w.VBox([self.edit_base,
                       w.HTML(_html.message("Select the span in the text with the mouse; select the cue and press "
                                            "“Selection as cue”.")),
                       self.picker, self.edit_span, w.HBox([self.cue_button, self.no_cue_button]),
                       self.edit_attributes, self.edit_button])
        buttons = w.HBox([*self.choose_buttons.values(), self.reject_button, self.reopen_button])
        super().__init__([self.summary, self.item, self.versions, self.note, buttons,
                          w.Accordion([edit], titles=("Edit a version",)), self.write_button, self.status])
        self.add_class("cc-adjudicator")
        self._refresh()

    def __repr__(self) -> str:
        return f"<Adjudicator {self.adjudication!r}>"

    def _refresh(self) -> None:
        adj = self.adjudication
        n = len(adj.disagreements)
        self.summary.value = _html.message(
            f"{adj.article_id}: {_count(len(adj.agreed), 'unit')} agreed by every annotator (written to gold with "
            f"Write gold), {_count(n, 'disagreement')}, {len(adj.open)} open; {adj.done} decided before.")
        options = [(f"{i.item_id} {i.layer} {_quote(i)}: {decision_text(i.decision)}", i.item_id) for i in adj.disagreements]
        current = self.item.value
        self.item.options = options
        if options:
            self.item.value = current if current in [v for _l, v in options] else options[0][1]
        self.write_button.disabled = not (adj.agreed or any(i.decision for i in adj.disagreements))
        self._show()

    def _show(self) -> None:
        if self.item.value is None:
            self.versions.value = _html.message("No disagreements to decide.")
            for b in (*self.choose_buttons.values(), self.reject_button, self.reopen_button, self.edit_button,
                      self.cue_button, self.no_cue_button):
                b.disabled = True
            self.edit_base.options = []
            self.edit_attributes.children = ()
            self.picker.span, self.picker.cue = [], []
            self.edit_span.value = ""
            return
        it = self.adjudication.item(self.item.value)
        parts = []
        previous = [r for r in self.adjudication.gold if r["id"] in getattr(it, "previous", [])]
        if previous:
            parts.append("<h4>Gold now, from an earlier decision (a new decision replaces it)</h4>"
                         + "".join(_record_html(self.adjudication.text, it, r) for r in previous))
        if it.decision is not None:
            parts.append(_html.message(f"Decided here, not written yet: {decision_text(it.decision)}. "
                                       "Reopen to decide again."))
        self.versions.value = version_html(self.adjudication.text, it) + "".join(parts)
        open_ = it.decision is None
        for name, button in self.choose_buttons.items():
            button.disabled = not open_ or it.versions.get(name) is None
        for b in (self.reject_button, self.edit_button, self.cue_button, self.no_cue_button):
            b.disabled = not open_
        self.reopen_button.disabled = open_
        present = [n for n, r in it.versions.items() if r is not None]
        self._filling = True  # one fill below, not one per trait the dropdown changes
        try:
            self.edit_base.options = present
            self.edit_base.value = present[0]
        finally:
            self._filling = False
        self._fill_edit()

    # -- the edit form: filled from the base version each time the unit or the base changes ------
    def _fill_edit(self) -> None:
        if self.item.value is None or self.edit_base.value is None or getattr(self, "_filling", False):
            return
        it = self.adjudication.item(self.item.value)
        base = it.versions[self.edit_base.value] or {}
        self._span = (base["start"], base["end"])
        cue = base.get("cue")
        self._cue = (cue["start"], cue["end"]) if isinstance(cue, dict) else None
        self._before_selection = self._selected = None
        fields: dict[str, w.Widget] = {}
        for key in LAYER_ATTRIBUTES[it.layer]:
            if key in ("cue", "note"):
                continue
            value = base.get(key)
            if key in _CHOICES:
                fields[key] = w.Dropdown(options=["", *_CHOICES[key]], value=value if value in _CHOICES[key] else "",
                                         description=key)
            else:
                shown = ", ".join(value) if isinstance(value, list) else ("" if value is None else str(value))
                fields[key] = w.Text(value=shown, description=key,
                                     placeholder="comma-separated actor ids" if key == "targets" else "")
        self.edit_fields = fields
        self.edit_attributes.children = tuple(fields.values())
        self.cue_button.layout.display = self.no_cue_button.layout.display = "" if "cue" in LAYER_ATTRIBUTES[it.layer] else "none"
        self._show_span()

    def _u16(self, span: tuple[int, int] | None) -> list[int]:
        text = self.adjudication.text
        return [] if span is None else [codepoint_to_utf16(text, span[0]), codepoint_to_utf16(text, span[1])]

    def _show_span(self) -> None:
        text = self.adjudication.text
        self.picker.span, self.picker.cue = self._u16(self._span), self._u16(self._cue)
        cue = "" if self._cue is None else f" · cue: \u201c{text[self._cue[0]:self._cue[1]]}\u201d"
        span = "" if self._span is None else f"span: \u201c{text[self._span[0]:self._span[1]]}\u201d"
        self.edit_span.value = _html.message(span + cue)

    def _picked(self) -> None:
        """A selection in the text (UTF-16, from the browser) becomes the edited span."""
        sel = self.picker.selection
        if len(sel) != 2:
            return
        try:
            start, end = (utf16_to_codepoint(self.adjudication.text, int(x)) for x in sel)
        except ValueError as exc:
            self.status.value = _html.message(f"error: {exc}")
            return
        self._before_selection, self._selected = self._span, (start, end)
        self._span = (start, end)
        self._show_span()

    def _take_cue(self) -> None:
        """The last selection becomes the cue; the span goes back to what it was before it."""
        if self._selected is None:
            self.status.value = _html.message("select the cue in the text first")
            return
        if self._span == self._selected and self._before_selection is not None:
            self._span = self._before_selection
        self._set_cue(self._selected)

    def _set_cue(self, cue: tuple[int, int] | None) -> None:
        self._cue = cue
        self._selected = None
        self._show_span()

    def _edit(self, item_id: str) -> None:
        it = self.adjudication.item(item_id)
        if self._span is None:
            raise ValueError("select the span in the text first")
        fields: dict[str, Any] = {"start": self._span[0], "end": self._span[1]}
        for key, field in self.edit_fields.items():
            value = str(field.value or "").strip()
            if key == "targets":
                fields[key] = [t.strip() for t in value.split(",") if t.strip()]
            else:
                fields[key] = value or None  # an emptied field removes the attribute
        if "cue" in LAYER_ATTRIBUTES[it.layer]:
            text = self.adjudication.text
            fields["cue"] = None if self._cue is None else \
                {"start": self._cue[0], "end": self._cue[1], "text": text[self._cue[0]:self._cue[1]]}
        self.adjudication.edit(item_id, base=self.edit_base.value, note=self.note.value, **fields)

    def _act(self, action: Any) -> None:
        item_id = self.item.value
        if item_id is None:
            self.status.value = _html.message("nothing to decide")
            return
        try:
            action(item_id)
        except (ValueError, KeyError) as exc:
            message = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
            self.status.value = _html.message(f"error: {message}")
            return
        decision = self.adjudication.item(item_id).decision
        done = decision_text(decision) if decision else "reopened"
        self.status.value = _html.message(f"{item_id}: {done} (not written yet)")
        self.note.value = ""
        self._refresh()

    def _write(self) -> None:
        try:
            entries = self.adjudication.write()
        except (ValueError, CorpusError) as exc:
            self.status.value = _html.message(f"error: nothing written: {exc}")
            return
        gold = sum(len(e["gold"]) for e in entries)
        self.status.value = _html.message(f"written: {_count(len(entries), 'decision')}, {_count(gold, 'gold record')}")
        self._refresh()


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _quote(it: Item) -> str:
    rec = next(r for r in it.versions.values() if r is not None)
    text = rec["text"] if len(rec["text"]) <= 40 else rec["text"][:39] + "\u2026"
    return f"\u201c{text}\u201d"


def adjudicator(release: str | Path, article_id: str, *, annotators: list[str], adjudicator: str) -> Adjudicator:
    """Adjudicate ``article_id`` between ``annotators`` in a notebook (see
    :func:`caucasus_corpus.reliability.adjudicate`): pick a disagreement, see the versions side by
    side in their context, take one, reject all or edit, then **Write gold**."""
    return Adjudicator(adjudicate(release, article_id, annotators=annotators, adjudicator=adjudicator))
