// The annotator widget (anywidget). Offsets sent to and read from the kernel are UTF-16 code
// units, as the browser counts them; the kernel converts them to code points (_annotator.py).
// Everything is shown with textContent, never innerHTML, so markup in a text shows as text.

function el(tag, attrs, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

function select(name, values, blank) {
  const s = el("select", { name: name });
  if (blank) s.appendChild(el("option", { value: "" }, ""));
  for (const v of values) {
    const [value, label] = Array.isArray(v) ? v : [v, v];
    s.appendChild(el("option", { value: value }, label));
  }
  return s;
}

// UTF-16 offset of a DOM position inside the text container.
function offsetIn(container, node, offset) {
  const range = document.createRange();
  range.selectNodeContents(container);
  range.setEnd(node, offset);
  return range.toString().length;
}

function plural(n, word) { return `${n} ${word}${n === 1 ? "" : "s"}`; }

function render({ model, el: root }) {
  const box = el("div", { class: "cc-ann", tabindex: "-1", "data-lm-suppress-shortcuts": "true" });
  const legend = el("div", { class: "cc-ann-legend" });
  const textBox = el("div", { class: "cc-ann-text" });
  const selInfo = el("div", { class: "cc-ann-selection" });
  const form = el("div", { class: "cc-ann-form" });
  const bar = el("div", { class: "cc-ann-bar" });
  const buttons = el("span", { class: "cc-ann-buttons" });
  const status = el("span", { class: "cc-ann-status" });
  const pending = el("div", { class: "cc-ann-pending" });
  bar.append(buttons, status);
  box.append(legend, textBox, selInfo, form, bar, pending);
  root.appendChild(box);

  // The record being made: its span and its cue are kept apart, so that selecting the cue after
  // the span never replaces the span (issue 27). All offsets are UTF-16, as the browser counts.
  let span = null; // [start, end] of the new record
  let prevSpan = null; // the span before the last selection (back when that selection becomes the cue)
  let lastSel = null; // the last selection made in the text
  let cue = null; // [start, end], or "" to remove, or null: unchanged
  let chosen = null; // record id being edited
  let downInText = false;
  let suppressClick = false;
  const hidden = new Set(); // layers unticked in the legend
  const inputs = {};

  const vocab = () => model.get("vocab");
  const actorList = el("datalist", { id: "cc-actors-" + Math.random().toString(36).slice(2) });
  box.appendChild(actorList);

  function fillActors() {
    actorList.replaceChildren();
    for (const a of model.get("actors")) {
      for (const name of [a.id, a.name, ...a.aliases]) actorList.appendChild(el("option", { value: name }));
    }
    for (const t of model.get("topics")) actorList.appendChild(el("option", { value: t.id }));
  }

  const quoted = (r) => `“${model.get("text").slice(r[0], r[1])}”`;

  function drawLegend() {
    legend.replaceChildren(el("span", { class: "cc-legend-title" }, "show:"));
    for (const layer of vocab().layers) {
      const label = el("label", { class: "cc-legend-item" });
      const box = el("input", { type: "checkbox", name: "show-layer", value: layer });
      box.checked = !hidden.has(layer);
      box.addEventListener("change", () => { if (box.checked) hidden.delete(layer); else hidden.add(layer); drawText(); });
      label.append(box, el("span", { class: "cc-l-" + layer }, layer));
      legend.appendChild(label);
    }
    legend.append(el("span", { class: "cc-legend-item cc-cue-mark" }, "cue"),
                  el("span", { class: "cc-legend-item cc-pending-span" }, "new record's span"),
                  el("span", { class: "cc-legend-item cc-pending-cue" }, "its cue"));
  }

  function drawText() {
    const text = model.get("text");
    const records = model.get("records").filter((r) => !hidden.has(r.layer));
    const cues = records.filter((r) => r.cue && r.cue.u16_start !== undefined).map((r) => [r.cue.u16_start, r.cue.u16_end]);
    const mine = [span, Array.isArray(cue) ? cue : null].filter((r) => r);
    const cuts = new Set([0, text.length]);
    for (const r of records) { cuts.add(r.u16_start); cuts.add(r.u16_end); }
    for (const r of [...cues, ...mine]) { cuts.add(r[0]); cuts.add(r[1]); }
    const points = [...cuts].sort((a, b) => a - b);
    const inside = (r, a, b) => r && r[0] <= a && r[1] >= b;
    textBox.replaceChildren();
    for (let i = 0; i + 1 < points.length; i++) {
      const [a, b] = [points[i], points[i + 1]];
      const covering = records.filter((r) => r.u16_start <= a && r.u16_end >= b);
      const seg = el("span", { class: "cc-seg" }, text.slice(a, b));
      if (covering.length) {
        seg.setAttribute("data-layers", covering.map((r) => r.layer).join(" "));
        seg.setAttribute("data-ids", covering.map((r) => r.id).join(" "));
        seg.title = covering.map((r) => `${r.id} ${r.layer}`).join("\n");
        for (const r of covering) seg.classList.add("cc-l-" + r.layer);
        if (chosen && covering.some((r) => r.id === chosen)) seg.classList.add("cc-chosen");
      }
      if (cues.some((r) => inside(r, a, b))) seg.classList.add("cc-cue-mark");
      if (!chosen && inside(span, a, b)) seg.classList.add("cc-pending-span");
      if (Array.isArray(cue) && inside(cue, a, b)) seg.classList.add("cc-pending-cue");
      textBox.appendChild(seg);
    }
  }

  // The pending span and cue side by side (no offsets: the browser's would be UTF-16 units).
  function showPending() {
    if (chosen) return;
    selInfo.replaceChildren();
    if (fixing) selInfo.appendChild(el("span", {}, `fixing suggestion ${fixing.suggestion_id} · `));
    selInfo.append(el("span", { class: "cc-ann-span-info" }, span ? `span: ${quoted(span)}` : "span: (select it in the text)"),
                   el("span", { class: "cc-ann-cue-info" }, Array.isArray(cue) ? ` · cue: ${quoted(cue)}` : ""));
  }

  let cueShow = null;
  function cueText(values) {
    if (Array.isArray(cue)) return quoted(cue);
    if (cue === "") return "none";
    return values && values.cue ? `“${values.cue.text}”` : "none";
  }

  function drawForm(layer, values) {
    form.replaceChildren();
    cueShow = null;
    for (const key of Object.keys(inputs)) delete inputs[key];
    const layerSelect = select("layer", vocab().layers);
    layerSelect.value = layer;
    layerSelect.disabled = chosen !== null;
    layerSelect.addEventListener("change", () => drawForm(layerSelect.value, {}));
    form.append(el("label", {}, "layer"), layerSelect);
    inputs.layer = layerSelect;
    for (const key of vocab().attributes[layer]) {
      let input;
      if (key === "cue") {
        input = el("span", { class: "cc-cue" });
        cueShow = el("span", {}, cueText(values));
        const take = el("button", { name: "take-cue" }, "selection as cue");
        take.addEventListener("click", takeCue);
        const clear = el("button", { name: "clear-cue" }, "no cue");
        clear.addEventListener("click", () => { cue = ""; cueShow.textContent = "none"; showPending(); drawText(); markPending(); });
        input.append(cueShow, take, clear);
      } else if (key === "cameo") {
        input = select(key, model.get("cameo").map(([c, n]) => [c, `${c} ${n}`]), true);
      } else if (vocab()[key]) {
        input = select(key, vocab()[key], true);
      } else {
        input = el("input", { name: key, type: "text" });
        if (["actor", "speaker", "holder", "via", "target", "targets"].includes(key)) input.setAttribute("list", actorList.id);
        if (key === "targets") input.placeholder = "comma-separated actors";
      }
      if (key !== "cue") {
        const v = values[key];
        input.value = Array.isArray(v) ? v.join(", ") : (v ?? "");
        input.addEventListener("input", markPending);
        input.addEventListener("change", markPending);
        inputs[key] = input;
      }
      form.append(el("label", {}, key), input);
    }
  }

  // "selection as cue": the last selection becomes the cue; when that selection had just become
  // the span, the span goes back to what it was before, so span-then-cue and cue-then-span agree.
  function takeCue() {
    const now = window.getSelection();
    if (!now.isCollapsed && now.rangeCount && now.getRangeAt(0).intersectsNode(textBox)) {
      const r = readSelection();
      if (Array.isArray(r)) lastSel = r;
    }
    if (!lastSel) { status.textContent = "select the cue in the text first"; return; }
    cue = lastSel.slice();
    if (!chosen && span && span[0] === cue[0] && span[1] === cue[1]) { span = prevSpan; prevSpan = null; }
    if (cueShow) cueShow.textContent = quoted(cue);
    showPending();
    drawText();
    markPending();
  }

  function attrs() {
    const out = {};
    for (const [k, input] of Object.entries(inputs)) if (k !== "layer") out[k] = input.value;
    return out;
  }

  function markPending() {
    pending.textContent = chosen ? `Not saved yet: changes to ${chosen}` : (span || Array.isArray(cue) ? "Not saved yet: a new record" : "");
  }

  // The selection's part inside the text, as [start, end] (whitespace at its ends left out),
  // "outside" when none of it is in the text, or null when nothing is selected.
  function readSelection() {
    const sel = window.getSelection();
    if (!sel.rangeCount || sel.isCollapsed) return null;
    const range = sel.getRangeAt(0);
    if (!range.intersectsNode(textBox)) return "outside";
    const all = document.createRange();
    all.selectNodeContents(textBox);
    const text = model.get("text");
    let start = range.compareBoundaryPoints(Range.START_TO_START, all) <= 0 ? 0
      : offsetIn(textBox, range.startContainer, range.startOffset);
    let end = range.compareBoundaryPoints(Range.END_TO_END, all) >= 0 ? text.length
      : offsetIn(textBox, range.endContainer, range.endOffset);
    while (start < end && /\s/.test(text[start])) start++;
    while (end > start && /\s/.test(text[end - 1])) end--;
    return end > start ? [start, end] : "outside";
  }

  textBox.addEventListener("mousedown", () => { downInText = true; suppressClick = false; });
  // On the document: a drag that starts in the text may end anywhere (a triple-click selects
  // past the end of the text).
  const onMouseUp = () => {
    if (!downInText) return;
    downInText = false;
    const r = readSelection();
    if (r === null) return;
    suppressClick = true; // the click that ends a selection does not open a record
    if (r === "outside") {
      lastSel = null;
      if (!chosen) { prevSpan = span; span = null; }
      selInfo.textContent = "selection outside the text: select the words inside the text box";
      markPending();
      drawText();
      return;
    }
    lastSel = r;
    if (chosen) {
      selInfo.textContent = `${chosen}: selected ${quoted(r)} (click "selection as cue" to make it the cue)`;
      return;
    }
    prevSpan = span;
    span = r;
    showPending();
    markPending();
    drawText();
  };
  document.addEventListener("mouseup", onMouseUp);

  textBox.addEventListener("click", (event) => {
    if (suppressClick) { suppressClick = false; return; }
    if (!window.getSelection().isCollapsed) return;
    const seg = event.target.closest("span.cc-seg[data-ids]");
    if (!seg) return;
    const ids = seg.getAttribute("data-ids").split(" ");
    const records = model.get("records").filter((r) => ids.includes(r.id));
    records.sort((a, b) => (a.u16_end - a.u16_start) - (b.u16_end - b.u16_start));
    const rec = records[0];
    formEpoch++;
    chosen = rec.id;
    fixing = null;
    cue = null;
    span = prevSpan = lastSel = null;
    selInfo.textContent = `${rec.id} (${rec.layer}, ${rec.annotator}): “${rec.text}”`;
    drawForm(rec.layer, rec);
    drawButtons();
    drawText();
    markPending();
  });

  // The form a change was sent from: when the kernel's answer comes, the form is cleared only if
  // the person has not started another one meanwhile (a Fix… clicked while an Accept is saved).
  let formEpoch = 0;
  let sentEpoch = -1;
  function send(message) { sentEpoch = formEpoch; model.send(message); }
  const sameForm = () => sentEpoch === formEpoch;

  function saveNew() {
    if (!span) {
      status.textContent = lastSel === null && selInfo.textContent.startsWith("selection outside")
        ? "error: nothing saved: the selection is outside the text" : "select the span in the text first";
      return;
    }
    send({ op: "save", layer: inputs.layer.value, start: span[0], end: span[1], attrs: attrs(), cue: cue });
  }

  function drawButtons() {
    buttons.replaceChildren();
    const add = (name, label, fn) => {
      const b = el("button", { name: name }, label);
      b.addEventListener("click", fn);
      buttons.appendChild(b);
      return b;
    };
    if (chosen) {
      add("update", "Save changes", () => send({ op: "update", id: chosen, attrs: attrs(), cue: cue }));
      add("delete", "Delete", () => send({ op: "delete", id: chosen }));
      add("new", "New record", () => {
        formEpoch++; chosen = null; cue = null; span = prevSpan = lastSel = null; selInfo.textContent = "";
        drawForm(inputs.layer.value, {}); drawButtons(); drawText(); markPending();
      });
    } else {
      add("save", "Save", saveNew);
    }
    const undo = add("undo", "Undo", () => send({ op: "undo" }));
    undo.disabled = !model.get("can_undo");
    const toggle = add("new-actor", "New actor…", () => { actorForm.hidden = !actorForm.hidden; });
    toggle.setAttribute("aria-expanded", String(!actorForm.hidden));
  }

  const actorForm = el("div", { class: "cc-ann-form cc-ann-actor" });
  actorForm.hidden = true;
  const actorInputs = { actor_id: el("input", { name: "actor_id" }), name: el("input", { name: "name" }),
                        kind: select("kind", vocab().kind), aliases: el("input", { name: "aliases", placeholder: "comma-separated" }) };
  for (const [k, input] of Object.entries(actorInputs)) actorForm.append(el("label", {}, k), input);
  const addActor = el("button", { name: "add-actor" }, "Add actor");
  addActor.addEventListener("click", () => send({ op: "add_actor", actor_id: actorInputs.actor_id.value,
    name: actorInputs.name.value, kind: actorInputs.kind.value, aliases: actorInputs.aliases.value }));
  actorForm.appendChild(addActor);
  box.insertBefore(actorForm, pending);

  function onStatus() {
    const s = model.get("status");
    status.textContent = s;
    status.classList.toggle("cc-error", s.startsWith("error"));
    if (s.startsWith("saved actor ")) { // the record being made stays as it is
      for (const input of Object.values(actorInputs)) input.value = input.tagName === "SELECT" ? input.options[0].value : "";
      actorForm.hidden = true;
      drawButtons();
      return;
    }
    if (!sameForm()) { drawButtons(); drawText(); return; } // the answer to an earlier form
    if (s.startsWith("saved ") || s.startsWith("deleted ") || s.startsWith("undone")) {
      if (s.startsWith("deleted ") || s.startsWith("undone")) chosen = null;
      if (!chosen) { span = prevSpan = lastSel = null; selInfo.textContent = ""; }
      cue = null;
      pending.textContent = "";
      if (!chosen) drawForm(inputs.layer ? inputs.layer.value : "claim", {});
      drawButtons();
      drawText();
    }
  }

  // Keys typed in the widget stay in it: JupyterLab would take Shift+Enter to run the cell (and
  // lose the form). Enter or Ctrl+Enter saves, Ctrl+Z undoes the last saved change (in a text
  // field Ctrl+Z is left to the field, to undo typing).
  box.addEventListener("keydown", (event) => {
    event.stopPropagation();
    const t = event.target;
    const typing = t.tagName === "TEXTAREA" || (t.tagName === "INPUT" && t.type === "text");
    if (event.key === "Enter" && !event.altKey && !event.metaKey) {
      if (t.tagName === "BUTTON" && !event.ctrlKey) { if (event.shiftKey) event.preventDefault(); return; }
      event.preventDefault();
      if (actorForm.contains(t)) { addActor.click(); return; }
      const save = bar.querySelector("button[name=accept-fixed]:not([hidden])") ||
        buttons.querySelector("button[name=save], button[name=update]");
      if (save) save.click();
    } else if ((event.ctrlKey || event.metaKey) && !event.shiftKey && !event.altKey && event.key.toLowerCase() === "z") {
      if (typing) return;
      event.preventDefault();
      if (model.get("can_undo")) send({ op: "undo" });
      else status.textContent = "nothing to undo";
    }
  });
  for (const type of ["keyup", "keypress"]) box.addEventListener(type, (event) => event.stopPropagation());

  // -- Suggestions mode: machine suggestions shown apart (dashed), accepted, fixed or rejected --
  const sugPanel = el("div", { class: "cc-ann-suggestions" });
  sugPanel.hidden = true;
  box.insertBefore(sugPanel, pending);
  let fixing = null; // the suggestion being fixed in the form

  function drawSuggestionMarks() {
    if (sugPanel.hidden) return;
    const text = model.get("text");
    const marks = model.get("suggestions");
    if (!marks.length) return;
    // Overlay: the text again, with suggestion spans marked (records stay in the main view).
    const cuts = new Set([0, text.length]);
    for (const s of marks) { cuts.add(s.u16_start); cuts.add(s.u16_end); }
    const points = [...cuts].sort((a, b) => a - b);
    const view = el("div", { class: "cc-sug-text" });
    for (let i = 0; i + 1 < points.length; i++) {
      const [a, b] = [points[i], points[i + 1]];
      const covering = marks.filter((s) => s.u16_start <= a && s.u16_end >= b);
      const seg = el("span", { class: "cc-seg" }, text.slice(a, b));
      if (covering.length) {
        seg.setAttribute("data-suggestions", covering.map((s) => s.suggestion_id).join(" "));
        seg.title = covering.map((s) => `${s.layer} ${s.rule} (${s.confidence})`).join("\n");
        for (const s of covering) seg.classList.add("cc-sug-" + s.layer);
      }
      view.appendChild(seg);
    }
    sugPanel.insertBefore(view, sugPanel.firstChild);
  }

  function who(s) {
    if (s.layer === "mention") return s.actor;
    return (s.speaker || "?") + (s.speaker_text ? ` (“${s.speaker_text}”)` : "");
  }

  function drawSuggestions() {
    sugPanel.replaceChildren();
    if (sugPanel.hidden) return;
    const list = model.get("suggestions");
    const head = el("div", { class: "cc-sug-head" }, `${plural(list.length, "suggestion")} (auto-rules; not records until accepted)`);
    sugPanel.appendChild(head);
    for (const layer of ["mention", "claim", "threat"]) {
      const ofLayer = list.filter((s) => s.layer === layer);
      if (!ofLayer.length) continue;
      const all = el("button", { name: "accept-all-" + layer }, ofLayer.length === 1 ? `Accept the 1 ${layer}…` : `Accept all ${ofLayer.length} ${layer}s…`);
      all.addEventListener("click", () => {
        const preview = el("div", { class: "cc-sug-preview" });
        preview.appendChild(el("div", {}, `Accept ${ofLayer.length === 1 ? "this" : "these"} ${plural(ofLayer.length, layer + " suggestion")} as your record${ofLayer.length === 1 ? "" : "s"}?`));
        for (const s of ofLayer) preview.appendChild(el("div", {}, `${s.text} — ${who(s)}`));
        const ok = el("button", { name: "confirm-accept-all" }, "Confirm");
        ok.addEventListener("click", () => send({ op: "accept_all", ids: ofLayer.map((s) => s.suggestion_id) }));
        const cancel = el("button", { name: "cancel-accept-all" }, "Cancel");
        cancel.addEventListener("click", drawSuggestions);
        preview.append(ok, cancel);
        all.replaceWith(preview);
      });
      sugPanel.appendChild(all);
      for (const s of ofLayer) {
        const row = el("div", { class: "cc-sug-row cc-sug-" + layer });
        row.appendChild(el("span", { class: "cc-sug-what" },
          `${layer} “${s.text}” ${who(s)}${s.cue ? ` cue “${s.cue}”` : ""} · ${s.confidence} · ${s.rule}`));
        const acc = el("button", { name: "accept" }, "Accept");
        acc.addEventListener("click", () => send({ op: "accept", id: s.suggestion_id }));
        const fix = el("button", { name: "fix" }, "Fix…");
        fix.addEventListener("click", () => {
          formEpoch++;
          fixing = s;
          chosen = null;
          span = [s.u16_start, s.u16_end];
          prevSpan = lastSel = null;
          cue = s.u16_cue ? s.u16_cue.slice() : null;
          const values = Object.assign({}, s, { cue: s.cue ? { text: s.cue } : null, speaker: s.speaker || s.speaker_text || "" });
          drawForm(layer, values);
          drawButtons();
          showPending();
          drawText();
          acceptFixed.hidden = false;
        });
        const rej = el("button", { name: "reject" }, "Reject");
        rej.addEventListener("click", () => send({ op: "reject", id: s.suggestion_id }));
        row.append(acc, fix, rej);
        sugPanel.appendChild(row);
      }
    }
    drawSuggestionMarks();
  }

  const sugToggle = el("button", { name: "suggestions" }, "Suggestions");
  sugToggle.addEventListener("click", () => {
    sugPanel.hidden = !sugPanel.hidden;
    sugToggle.classList.toggle("cc-active", !sugPanel.hidden);
    // Draw what is known at once (the kernel's answer redraws it when it differs: an unchanged
    // list sends no change event, and the box would stay empty under "N suggestions").
    drawSuggestions();
    if (!sugPanel.hidden) send({ op: "suggest" });
    else { fixing = null; drawButtons(); }
  });
  box.insertBefore(sugToggle, legend);

  // While fixing, the Save button accepts the suggestion with the form's values as fixes.
  buttons.addEventListener("click", (event) => {
    if (!fixing || !event.target.matches("button[name=save]")) return;
    event.stopImmediatePropagation();
    acceptFixed.click();
  }, true);
  const acceptFixed = el("button", { name: "accept-fixed" }, "Accept with these fixes");
  acceptFixed.addEventListener("click", () => {
    if (!fixing) return;
    const message = { op: "accept", id: fixing.suggestion_id, attrs: attrs(), cue: cue };
    if (!span) { status.textContent = "select the span in the text first"; return; }
    if (span[0] !== fixing.u16_start || span[1] !== fixing.u16_end) {
      message.start = span[0];
      message.end = span[1];
    }
    send(message);
  });
  acceptFixed.hidden = true;
  bar.insertBefore(acceptFixed, status);
  model.on("change:status", () => {
    const s = model.get("status");
    if (sameForm() && (s.startsWith("saved ") || s.startsWith("rejected ") || s.startsWith("undone"))) fixing = null;
    acceptFixed.hidden = !fixing;
    // The list is drawn again after any change (an undone reject offers its suggestion again).
    if (!sugPanel.hidden && !s.startsWith("error")) drawSuggestions();
  });
  buttons.addEventListener("click", () => { acceptFixed.hidden = !fixing; });
  sugPanel.addEventListener("click", () => { acceptFixed.hidden = !fixing; });
  model.on("change:suggestions", drawSuggestions);

  model.on("change:records", drawText);
  model.on("change:actors", fillActors);
  model.on("change:can_undo", drawButtons);
  model.on("change:status", onStatus);
  fillActors();
  drawLegend();
  drawText();
  drawForm("claim", {});
  drawButtons();
  status.textContent = model.get("status");
  return () => document.removeEventListener("mouseup", onMouseUp);
}

export default { render };
