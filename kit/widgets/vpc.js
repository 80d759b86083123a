// @ts-check
// Value Proposition Canvas: the value map as a square (left), the customer profile as a circle (right).
// Helpers (h, send, liveRender, header, rootEl, areaSwitcher, areaEl, boardContext, canvasWidget, fmt) come from common.js.

const VPC_TRAITS = ["items", "areas", "coverage", "controls", "labels", "error", "me", "features", "title", "intro"];

function coverageBar(model, areas) {
  const L = model.get("labels");
  const cov = model.get("coverage") || {};
  const bar = h("div", { class: "kit-coverage", role: "status" });
  for (const [target, c] of Object.entries(cov)) {
    if (!c.total) continue;
    const area = areas.find((a) => a.id === target);
    bar.append(h("span", { class: `kit-coverage-item${c.addressed < c.total ? " kit-gap" : " kit-full"}`, dataset: { target } },
      fmt(L.coverage, { addressed: c.addressed, total: c.total, area: area ? area.title : target })));
  }
  return bar;
}

/** Focus mode: the area title toggles an enlarged view of that area (click, Enter or Space; Escape
 *  closes), so a facilitator can project one area with big type. */
function focusable(section, area, ui, rerender) {
  const focused = ui.focusArea === area.id;
  const toggle = () => { ui.focusArea = focused ? null : area.id; rerender(); };
  const title = section.querySelector(".kit-area-title");
  title.setAttribute("tabindex", "0");
  title.setAttribute("role", "button");
  title.setAttribute("aria-expanded", String(focused));
  title.dataset.key = `focus:${area.id}`;
  title.dataset.action = "focus";
  on(title, "click", (ev) => { ev.stopPropagation(); toggle(); });
  on(title, "keydown", (ev) => {
    if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); ev.stopPropagation(); toggle(); }
  });
  if (focused) {
    section.classList.add("kit-focused");
    on(section, "keydown", (ev) => {
      if (ev.key !== "Escape" || ["INPUT", "TEXTAREA", "SELECT"].includes(ev.target.tagName)) return;
      if (ui.linkSource !== null || ui.editing) return;  // Escape first ends linking / editing
      ui.focusArea = null; rerender();
    });
  }
  return section;
}

/** An area's section: compact (the guiding question only while empty), its title toggles focus mode. */
function vpcArea(area, notes, ctx) {
  return focusable(areaEl(area, notes, { ...ctx, compact: true }), area, ctx.ui, ctx.rerender);
}

/** @param {WidgetModel} model @param {Record<string, any>} ui @param {() => void} rerender */
function drawVpc(model, ui, rerender) {
  const L = model.get("labels");
  const ctx = boardContext(model, ui, rerender);
  const switcher = areaSwitcher(model, ui, ctx.areas, ctx);
  if (ui.focusArea && !ctx.areas.some((a) => a.id === ui.focusArea)) ui.focusArea = null;
  const slot = (name) => ctx.areas.filter((a) => a.slot === name).map((a) => vpcArea(a, ctx.notesIn(a.id), ctx));
  const extra = [coverageBar(model, ctx.areas)];
  if (ui.linkSource !== null && ctx.byId.has(ui.linkSource)) {
    extra.push(h("div", { class: "kit-banner kit-banner-link", role: "status" },
      `⇄ ${L.link} — “${ctx.byId.get(ui.linkSource).text.slice(0, 60)}” `,
      h("button", { class: "kit-btn kit-btn-small", type: "button", text: L.link_done, onclick: () => { ui.linkSource = null; rerender(); } })));
  } else {
    ui.linkSource = null;
  }
  return rootEl(model, "kit-vpc-root",
    header(model, ui, rerender, extra), switcher,
    h("div", { class: "kit-vpc" },
      h("div", { class: "kit-vpc-side" },
        h("div", { class: "kit-vpc-label", text: L.value_map }),
        h("div", { class: "kit-vpc-square" }, ...slot("vm-left"), ...slot("vm-top"), ...slot("vm-bottom"))),
      h("div", { class: "kit-vpc-fit", "aria-hidden": "true", text: "⇄" }),
      h("div", { class: "kit-vpc-side" },
        h("div", { class: "kit-vpc-label", text: L.customer_profile }),
        h("div", { class: "kit-vpc-circle" }, ...slot("cp-top"), ...slot("cp-bottom"), ...slot("cp-right")))),
    h("p", { class: "kit-help", text: L.keyboard_help }),
    model.get("attribution") ? h("p", { class: "kit-attribution", text: model.get("attribution") }) : null);
}

export default canvasWidget(VPC_TRAITS, drawVpc, vpcArea);
