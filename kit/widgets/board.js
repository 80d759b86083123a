// @ts-check
// Generic board: any grid declaration from canvases/ (areas placed by cell [row, col, rowspan, colspan]).
// Helpers (h, send, liveRender, header, rootEl, areaSwitcher, areaEl, boardContext, canvasWidget) come from common.js.

const BOARD_TRAITS = ["items", "areas", "coverage", "controls", "labels", "error", "me", "features", "title", "intro",
  "color_labels"];

/** What the colours mean on this canvas, if it says (e.g. the channel of a piece of feedback).
 * @param {WidgetModel} model */
function legend(model) {
  const labels = Object.entries(model.get("color_labels") || {});
  if (!labels.length) return null;
  return h("p", { class: "kit-legend" }, ...labels.map(([color, label]) =>
    h("span", { class: "kit-legend-item" }, h("span", { class: "kit-legend-swatch", style: { background: color } }), label)));
}

/** An area's section, placed in the grid by its cell. */
function boardArea(area, notes, ctx) {
  const [row, col, rowspan, colspan] = area.cell.length === 4 ? area.cell : [0, 0, 1, 1];
  const section = areaEl(area, notes, ctx);
  section.style.gridRow = `${row + 1} / span ${rowspan || 1}`;
  section.style.gridColumn = `${col + 1} / span ${colspan || 1}`;
  return section;
}

/** @param {WidgetModel} model @param {Record<string, any>} ui @param {() => void} rerender */
function drawBoard(model, ui, rerender) {
  const L = model.get("labels");
  const ctx = boardContext(model, ui, rerender);
  const switcher = areaSwitcher(model, ui, ctx.areas, ctx);
  const cols = Math.max(1, ...ctx.areas.map((a) => (a.cell[1] ?? 0) + (a.cell[3] ?? 1)));
  const grid = h("div", { class: "kit-board", style: { gridTemplateColumns: `repeat(${cols}, minmax(14rem, 1fr))` } });
  for (const area of ctx.areas) grid.append(boardArea(area, ctx.notesIn(area.id), ctx));
  return rootEl(model, "kit-board-root", header(model, ui, rerender), legend(model), switcher, grid,
    h("p", { class: "kit-help", text: L.keyboard_help }));
}

export default canvasWidget(BOARD_TRAITS, drawBoard, boardArea);
