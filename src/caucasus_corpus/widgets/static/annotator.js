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

function render({ model, el: root }) {
  const box = el("div", { class: "cc-ann" });
  const textBox = el("div", { class: "cc-ann-text" });
  const selInfo = el("div", { class: "cc-ann-selection" });
  const form = el("div", { class: "cc-ann-form" });
  const buttons = el("div", { class: "cc-ann-buttons" });
  const status = el("div", { class: "cc-ann-status" });
  const pending = el("div", { class: "cc-ann-pending" });
  box.append(textBox, selInfo, form, buttons, pending, status);
  root.appendChild(box);

  let selection = null; // [start, end] UTF-16
  let cue = null; // [start, end] UTF-16, or "" to remove
  let chosen = null; // record id being edited
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

  function drawText() {
    const text = model.get("text");
    const records = model.get("records");
    const cuts = new Set([0, text.length]);
    for (const r of records) { cuts.add(r.u16_start); cuts.add(r.u16_end); }
    const points = [...cuts].sort((a, b) => a - b);
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
      textBox.appendChild(seg);
    }
  }

  function drawForm(layer, values) {
    form.replaceChildren();
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
        const show = el("span", {}, values.cue ? `“${values.cue.text}”` : "none");
        const take = el("button", { name: "take-cue" }, "selection as cue");
        take.addEventListener("click", () => {
          if (!window.getSelection().isCollapsed) readSelection();
          if (!selection) return;
          cue = selection.slice();
          show.textContent = `“${model.get("text").slice(cue[0], cue[1])}”`;
          markPending();
        });
        const clear = el("button", { name: "clear-cue" }, "no cue");
        clear.addEventListener("click", () => { cue = ""; show.textContent = "none"; markPending(); });
        input.append(show, take, clear);
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

  function attrs() {
    const out = {};
    for (const [k, input] of Object.entries(inputs)) if (k !== "layer") out[k] = input.value;
    return out;
  }

  function markPending() {
    pending.textContent = chosen ? `Not saved yet: changes to ${chosen}` : (selection ? "Not saved yet: a new record" : "");
  }

  function readSelection() {
    const sel = window.getSelection();
    if (!sel.rangeCount || sel.isCollapsed) return;
    const range = sel.getRangeAt(0);
    if (!textBox.contains(range.startContainer) || !textBox.contains(range.endContainer)) return;
    const start = offsetIn(textBox, range.startContainer, range.startOffset);
    const end = offsetIn(textBox, range.endContainer, range.endOffset);
    if (end <= start) return;
    selection = [start, end];
    selInfo.textContent = `selected ${start}–${end} (UTF-16): “${model.get("text").slice(start, end)}”`;
  }

  textBox.addEventListener("mouseup", () => {
    const sel = window.getSelection();
    if (sel.isCollapsed) return;
    readSelection();
    if (!chosen) markPending();
  });
  textBox.addEventListener("click", (event) => {
    if (!window.getSelection().isCollapsed) return;
    const seg = event.target.closest("span.cc-seg[data-ids]");
    if (!seg) return;
    const ids = seg.getAttribute("data-ids").split(" ");
    const records = model.get("records").filter((r) => ids.includes(r.id));
    records.sort((a, b) => (a.u16_end - a.u16_start) - (b.u16_end - b.u16_start));
    const rec = records[0];
    chosen = rec.id;
    cue = null;
    selection = null;
    selInfo.textContent = `${rec.id} (${rec.layer}, ${rec.annotator}): “${rec.text}”`;
    drawForm(rec.layer, rec);
    drawButtons();
    drawText();
    markPending();
  });

  function send(message) { model.send(message); }

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
      add("new", "New record", () => { chosen = null; cue = null; drawForm(inputs.layer.value, {}); drawButtons(); drawText(); markPending(); });
    } else {
      add("save", "Save", () => {
        if (!selection) { status.textContent = "select the span in the text first"; return; }
        send({ op: "save", layer: inputs.layer.value, start: selection[0], end: selection[1], attrs: attrs(), cue: cue });
      });
    }
    const undo = add("undo", "Undo", () => send({ op: "undo" }));
    undo.disabled = !model.get("can_undo");
    add("new-actor", "New actor…", () => actorForm.hidden = !actorForm.hidden);
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
    if (s.startsWith("saved ") || s.startsWith("deleted ") || s.startsWith("undone")) {
      if (s.startsWith("deleted ") || s.startsWith("undone")) chosen = null;
      if (!chosen) { selection = null; selInfo.textContent = ""; }
      cue = null;
      pending.textContent = "";
      if (!chosen) drawForm(inputs.layer ? inputs.layer.value : "claim", {});
      drawButtons();
    }
  }

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
    const head = el("div", { class: "cc-sug-head" }, `${list.length} suggestions (auto-rules; not records until accepted)`);
    sugPanel.appendChild(head);
    for (const layer of ["mention", "claim", "threat"]) {
      const ofLayer = list.filter((s) => s.layer === layer);
      if (!ofLayer.length) continue;
      const all = el("button", { name: "accept-all-" + layer }, `Accept all ${ofLayer.length} ${layer}s…`);
      all.addEventListener("click", () => {
        const preview = el("div", { class: "cc-sug-preview" });
        preview.appendChild(el("div", {}, `Accept these ${ofLayer.length} ${layer} suggestions as your records?`));
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
          fixing = s;
          chosen = null;
          selection = [s.u16_start, s.u16_end];
          cue = s.u16_cue ? s.u16_cue.slice() : null;
          selInfo.textContent = `fixing suggestion ${s.suggestion_id}: “${s.text}” (select another span to change it)`;
          const values = Object.assign({}, s, { cue: s.cue ? { text: s.cue } : null, speaker: s.speaker || s.speaker_text || "" });
          drawForm(layer, values);
          drawButtons();
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
    if (!sugPanel.hidden) send({ op: "suggest" });
    else { fixing = null; drawSuggestions(); drawButtons(); }
  });
  box.insertBefore(sugToggle, selInfo);

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
    if (selection && (selection[0] !== fixing.u16_start || selection[1] !== fixing.u16_end)) {
      message.start = selection[0];
      message.end = selection[1];
    }
    send(message);
  });
  acceptFixed.hidden = true;
  box.insertBefore(acceptFixed, pending);
  model.on("change:status", () => {
    const s = model.get("status");
    if (s.startsWith("saved ") || s.startsWith("rejected ")) fixing = null;
    acceptFixed.hidden = !fixing;
  });
  buttons.addEventListener("click", () => { acceptFixed.hidden = !fixing; });
  sugPanel.addEventListener("click", () => { acceptFixed.hidden = !fixing; });
  model.on("change:suggestions", drawSuggestions);

  model.on("change:records", drawText);
  model.on("change:actors", fillActors);
  model.on("change:can_undo", drawButtons);
  model.on("change:status", onStatus);
  fillActors();
  drawText();
  drawForm("claim", {});
  drawButtons();
  status.textContent = model.get("status");
}

export default { render };
