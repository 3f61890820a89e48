// A box of server-made HTML (every stored string already escaped by caucasus_corpus._html) that
// scrolls its own content so that the element matching `target` is in view, centred when it fits.
// Only the inner box scrolls, never the notebook around it. The box is a child of the widget's
// element because ipywidgets' layout owns the element's own inline style.
function scrollToTarget(box, selector) {
  const mark = selector ? box.querySelector(selector) : null;
  if (!mark) { box.scrollTop = 0; return; }
  const outer = box.getBoundingClientRect();
  if (outer.height === 0) return;  // not laid out yet; the observer below calls again
  const r = mark.getBoundingClientRect();
  box.scrollTop += (r.top - outer.top) - Math.max(0, (box.clientHeight - r.height) / 2);
}

function render({ model, el }) {
  const box = document.createElement("div");
  box.className = "cc-scrollbox";
  box.style.overflow = "auto";
  el.appendChild(box);
  const draw = () => {
    box.style.maxHeight = model.get("max_height");
    box.innerHTML = model.get("value");
    requestAnimationFrame(() => scrollToTarget(box, model.get("target")));
  };
  // The first draw can happen before the box is on the page: scroll once it has a size.
  const seen = new ResizeObserver(() => {
    if (box.clientHeight > 0) { scrollToTarget(box, model.get("target")); seen.disconnect(); }
  });
  seen.observe(box);
  model.on("change:value", draw);
  model.on("change:target", draw);
  model.on("change:max_height", draw);
  draw();
  return () => seen.disconnect();
}

export default { render };
