// Before Chromium prints the report (kit/report/exporter.py evaluates this file in the page, laid out for print):
// keep a soft hyphen (U+00AD, put in by kit/render/hyphenation.py) only where a line really breaks, as a visible
// hyphen and a line break, and drop every other one. Paper looks the same; the PDF's text splits a word only where
// a line ends. The page is measured at its printed text width (html.kit-measure in report.css).
(() => {
  const SHY = "\u00ad";
  const HYPHEN = "\u2010"; // the glyph Chromium draws at a soft hyphen's break
  const root = document.documentElement;
  root.classList.add("kit-measure");
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT,
    { acceptNode: (n) => (n.data.includes(SHY) ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_SKIP) });
  const nodes = [];
  while (walker.nextNode()) nodes.push(walker.currentNode);
  const range = document.createRange();
  const box = (node, at) => {
    if (at < 0 || at >= node.data.length) return null;
    range.setStart(node, at);
    range.setEnd(node, at + 1);
    const rects = range.getClientRects();
    return rects.length ? rects[0] : null;
  };
  const later = (a, b) => !!a && !!b && (b.top >= a.bottom - 0.5 * a.height || b.left < a.left);
  // read everything first: which soft hyphens end a line (the letters either side sit on different lines).
  // Where a line breaks at a soft hyphen, Chromium reports the drawn hyphen as the box of the letter after it,
  // so the letter after that one is asked too (not another soft hyphen: that would be its own break).
  const broken = nodes.map((node) => {
    const found = [];
    for (let i = node.data.indexOf(SHY); i >= 0; i = node.data.indexOf(SHY, i + 1)) {
      const before = box(node, i - 1);
      found.push(later(before, box(node, i + 1)) || (node.data[i + 2] !== SHY && later(before, box(node, i + 2))));
    }
    return found;
  });
  // then write: text, hyphen + line break where it broke, nothing where it did not
  nodes.forEach((node, n) => {
    const pieces = node.data.split(SHY);
    const parts = [pieces[0]];
    broken[n].forEach((breaks, k) => {
      if (breaks) {
        parts[parts.length - 1] += HYPHEN;
        parts.push(document.createElement("br"), pieces[k + 1]);
      } else {
        parts[parts.length - 1] += pieces[k + 1];
      }
    });
    node.replaceWith(...parts.filter((p) => p !== ""));
  });
  root.classList.remove("kit-measure");
})();
