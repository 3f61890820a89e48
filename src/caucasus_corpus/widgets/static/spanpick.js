// A span picker (the adjudicator's "Edit a version"): the article's text with the span and the
// cue of the version being edited marked; a selection made with the mouse is sent to the kernel
// as `selection` ([start, end] in UTF-16 units, the kernel converts to code points). The part of
// a selection outside the text is left out. Text is shown with textContent, never innerHTML.

function offsetIn(container, node, offset) {
  const range = document.createRange();
  range.selectNodeContents(container);
  range.setEnd(node, offset);
  return range.toString().length;
}

function render({ model, el }) {
  const box = document.createElement("div");
  box.className = "cc-spanpick";
  box.style.cssText = "white-space:pre-wrap;line-height:1.8;max-height:14em;overflow:auto;border:1px solid #ccc;padding:6px;";
  el.appendChild(box);
  let down = false;

  function draw() {
    const text = model.get("text");
    const span = model.get("span");
    const cue = model.get("cue");
    const cuts = new Set([0, text.length]);
    for (const r of [span, cue]) if (r && r.length === 2) { cuts.add(r[0]); cuts.add(r[1]); }
    const points = [...cuts].sort((a, b) => a - b);
    box.replaceChildren();
    let mark = null;
    for (let i = 0; i + 1 < points.length; i++) {
      const [a, b] = [points[i], points[i + 1]];
      const seg = document.createElement("span");
      seg.textContent = text.slice(a, b);
      if (span && span.length === 2 && span[0] <= a && span[1] >= b) {
        seg.className = "cc-pick-span";
        seg.style.background = "rgba(80, 160, 255, 0.35)";
        mark = mark || seg;
      }
      if (cue && cue.length === 2 && cue[0] <= a && cue[1] >= b) {
        seg.classList.add("cc-pick-cue");
        seg.style.textDecoration = "underline solid #7a3cc2 2px";
      }
      box.appendChild(seg);
    }
    if (mark) requestAnimationFrame(() => {
      const outer = box.getBoundingClientRect();
      const r = mark.getBoundingClientRect();
      if (outer.height) box.scrollTop += (r.top - outer.top) - Math.max(0, (box.clientHeight - r.height) / 2);
    });
  }

  box.addEventListener("mousedown", () => { down = true; });
  const onUp = () => {
    if (!down) return;
    down = false;
    const sel = window.getSelection();
    if (!sel.rangeCount || sel.isCollapsed) return;
    const range = sel.getRangeAt(0);
    if (!range.intersectsNode(box)) return;
    const all = document.createRange();
    all.selectNodeContents(box);
    const text = model.get("text");
    let start = range.compareBoundaryPoints(Range.START_TO_START, all) <= 0 ? 0 : offsetIn(box, range.startContainer, range.startOffset);
    let end = range.compareBoundaryPoints(Range.END_TO_END, all) >= 0 ? text.length : offsetIn(box, range.endContainer, range.endOffset);
    while (start < end && /\s/.test(text[start])) start++;
    while (end > start && /\s/.test(text[end - 1])) end--;
    if (end <= start) return;
    model.set("selection", [start, end]);
    model.save_changes();
  };
  document.addEventListener("mouseup", onUp);
  model.on("change:text", draw);
  model.on("change:span", draw);
  model.on("change:cue", draw);
  draw();
  return () => document.removeEventListener("mouseup", onUp);
}

export default { render };
