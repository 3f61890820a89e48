// A box of server-made HTML (every stored string already escaped by caucasus_corpus._html) that
// scrolls its own content so that the element matching `target` is in view, centred when it fits.
// Only the box scrolls, never the notebook around it.
function scrollToTarget(el, selector) {
  if (!selector) { el.scrollTop = 0; return; }
  const mark = el.querySelector(selector);
  if (!mark) { el.scrollTop = 0; return; }
  const box = el.getBoundingClientRect();
  const r = mark.getBoundingClientRect();
  if (box.height === 0) return;  // not laid out yet; the observer below calls again
  el.scrollTop += (r.top - box.top) - Math.max(0, (el.clientHeight - r.height) / 2);
}

function render({ model, el }) {
  el.classList.add("cc-scrollbox");
  el.style.overflow = "auto";
  const draw = () => {
    el.style.maxHeight = model.get("max_height");
    el.innerHTML = model.get("value");
    requestAnimationFrame(() => scrollToTarget(el, model.get("target")));
  };
  // The first draw can happen before the box is on the page: scroll once it has a size.
  const seen = new ResizeObserver(() => { if (el.clientHeight > 0) { scrollToTarget(el, model.get("target")); seen.disconnect(); } });
  seen.observe(el);
  model.on("change:value", draw);
  model.on("change:target", draw);
  model.on("change:max_height", draw);
  draw();
  return () => seen.disconnect();
}

export default { render };
