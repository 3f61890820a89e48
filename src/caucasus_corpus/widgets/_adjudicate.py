"""``adjudicator``: resolve two (or more) annotators' disagreements side by side, then write the gold.

A thin widget over :class:`caucasus_corpus.reliability.Adjudication`: every button calls one of its
methods, so what the widget does is what code does. Nothing reaches the release until **Write
gold** is pressed; then agreed units and decided disagreements are written and logged in one commit.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import ipywidgets as w

from .. import _html
from ..reliability.adjudication import Adjudication, Item, adjudicate
from ..errors import CorpusError
from ..vocab import LAYER_ATTRIBUTES

# Characters of text shown on each side of a span.
CONTEXT = 80


def version_html(text: str, item: Item) -> str:
    """Each annotator's version of ``item`` side by side: the span in its context, and its attributes."""
    cells = []
    for name, rec in item.versions.items():
        if rec is None:
            body = _html.message(f"{name} did not mark this.")
        else:
            left = text[max(0, rec["start"] - CONTEXT):rec["start"]]
            right = text[rec["end"]:rec["end"] + CONTEXT]
            context = f'…{_html.esc(left)}<mark>{_html.esc(rec["text"])}</mark>{_html.esc(right)}…'
            attrs = "".join(f"<li><b>{_html.esc(k)}</b>: {_html.esc(json.dumps(rec[k], ensure_ascii=False))}</li>"
                            for k in LAYER_ATTRIBUTES[item.layer] if k in rec)
            body = (f'<p class="cc-context">{context}</p><p>{_html.esc(rec["id"])} · {rec["start"]}:{rec["end"]}</p>'
                    f"<ul>{attrs}</ul>")
        cells.append(f'<td style="vertical-align:top;width:{100 // len(item.versions)}%"><h4>{_html.esc(name)}</h4>{body}</td>')
    return f'<table class="cc-table cc-adjudicate"><tr>{"".join(cells)}</tr></table>'


class Adjudicator(w.VBox):
    """The widget :func:`adjudicator` returns; ``adjudication`` is its :class:`Adjudication`.

    Its parts are attributes so that code (and tests) can drive it: ``item`` (Dropdown) picks a
    disagreement, ``versions`` (HTML) shows the annotators' versions side by side,
    ``choose_buttons[name]`` takes that annotator's version, ``reject_button`` takes neither,
    ``edit_start``/``edit_end``/``edit_attributes`` (JSON) with ``edit_button`` take the
    adjudicator's own version, ``reopen_button`` takes a decision back, ``note`` is stored with a
    decision, ``write_button`` writes the gold and the log; ``status`` says what happened.
    """

    def __init__(self, adjudication: Adjudication) -> None:
        self.adjudication = adjudication
        self.summary = w.HTML()
        self.item = w.Dropdown(description="unit", layout=w.Layout(width="95%"))
        self.versions = w.HTML()
        self.choose_buttons = {name: w.Button(description=f"Take {name}") for name in adjudication.annotators}
        self.reject_button = w.Button(description="Reject all")
        self.reopen_button = w.Button(description="Reopen")
        self.note = w.Text(description="note", layout=w.Layout(width="95%"))
        self.edit_start = w.IntText(description="start")
        self.edit_end = w.IntText(description="end")
        self.edit_attributes = w.Textarea(description="attributes", layout=w.Layout(width="95%", height="6em"))
        self.edit_button = w.Button(description="Take this edit")
        self.write_button = w.Button(description="Write gold", button_style="primary")
        self.status = w.HTML()
        for name, button in self.choose_buttons.items():
            button.on_click(lambda _b, name=name: self._act(lambda i: self.adjudication.choose(i, name, note=self.note.value)))
        self.reject_button.on_click(lambda _b: self._act(lambda i: self.adjudication.reject(i, note=self.note.value)))
        self.reopen_button.on_click(lambda _b: self._act(self.adjudication.reopen))
        self.edit_button.on_click(lambda _b: self._act(self._edit))
        self.write_button.on_click(lambda _b: self._write())
        self.item.observe(lambda _c: self._show(), names="value")
        edit = w.VBox([w.HBox([self.edit_start, self.edit_end]), self.edit_attributes, self.edit_button])
        buttons = w.HBox([*self.choose_buttons.values(), self.reject_button, self.reopen_button])
        super().__init__([self.summary, self.item, self.versions, self.note, buttons,
                          w.Accordion([edit], titles=("Edit a version",)), self.write_button, self.status])
        self.add_class("cc-adjudicator")
        self._refresh()

    def __repr__(self) -> str:
        return f"<Adjudicator {self.adjudication!r}>"

    def _refresh(self) -> None:
        adj = self.adjudication
        self.summary.value = _html.message(
            f"{adj.article_id}: {len(adj.agreed)} unit(s) agreed by every annotator (written to gold with Write gold), "
            f"{len(adj.disagreements)} disagreement(s), {len(adj.open)} open; {adj.done} decided before.")
        options = [(f"{i.item_id} {i.layer}: {(i.decision or {}).get('decision', 'open')}", i.item_id) for i in adj.disagreements]
        current = self.item.value
        self.item.options = options
        if options:
            self.item.value = current if current in [v for _l, v in options] else options[0][1]
        self._show()

    def _show(self) -> None:
        if self.item.value is None:
            self.versions.value = _html.message("No disagreements to decide.")
            return
        it = self.adjudication.item(self.item.value)
        self.versions.value = version_html(self.adjudication.text, it)
        base = next(r for r in it.versions.values() if r is not None)
        self.edit_start.value, self.edit_end.value = base["start"], base["end"]
        self.edit_attributes.value = json.dumps({k: base[k] for k in LAYER_ATTRIBUTES[it.layer] if k in base},
                                                ensure_ascii=False, indent=1)

    def _edit(self, item_id: str) -> None:
        try:
            fields = json.loads(self.edit_attributes.value or "{}")
        except json.JSONDecodeError as exc:
            raise ValueError(f"attributes: not JSON ({exc.msg} at line {exc.lineno}); write them as {{\"key\": value}}") from None
        if not isinstance(fields, dict):
            raise ValueError('attributes: give a JSON object, e.g. {"claim_type": "assertion"}')
        fields.pop("note", None)  # the note field of the widget is the decision's note
        # An attribute left out of the JSON is removed; an unknown key is refused by edit().
        attrs = {k: None for k in LAYER_ATTRIBUTES[self.adjudication.item(item_id).layer] if k != "note"}
        attrs.update(fields)
        self.adjudication.edit(item_id, start=self.edit_start.value, end=self.edit_end.value, note=self.note.value, **attrs)

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
        self.status.value = _html.message(f"{item_id}: {decision['decision'] if decision else 'reopened'} (not written yet)")
        self.note.value = ""
        self._refresh()

    def _write(self) -> None:
        try:
            entries = self.adjudication.write()
        except (ValueError, CorpusError) as exc:
            self.status.value = _html.message(f"error: nothing written: {exc}")
            return
        gold = sum(len(e["gold"]) for e in entries)
        self.status.value = _html.message(f"written: {len(entries)} decision(s), {gold} gold record(s)")
        self._refresh()


def adjudicator(release: str | Path, article_id: str, *, annotators: list[str], adjudicator: str) -> Adjudicator:
    """Adjudicate ``article_id`` between ``annotators`` in a notebook (see
    :func:`caucasus_corpus.reliability.adjudicate`): pick a disagreement, see the versions side by
    side in their context, take one, reject all or edit, then **Write gold**."""
    return Adjudicator(adjudicate(release, article_id, annotators=annotators, adjudicator=adjudicator))
