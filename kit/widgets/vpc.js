// Value Proposition Canvas: the value map as a square (left), the customer profile as a circle (right).
// Helpers (h, send, liveRender, header, areaEl, boardContext, globalKeys, fmt) come from common.js.

const VPC_TRAITS = ["items", "areas", "coverage", "controls", "labels", "error", "me", "features", "title", "intro"];

function coverageBar(model, areas) {
  const L = model.get("labels");
  const cov = model.get("coverage") || {};
  const bar = h("div", { class: "wk-coverage", role: "status" });
  for (const [target, c] of Object.entries(cov)) {
    if (!c.total) continue;
    const area = areas.find((a) => a.id === target);
    bar.append(h("span", { class: `wk-coverage-item${c.addressed < c.total ? " wk-gap" : " wk-full"}`, dataset: { target } },
      fmt(L.coverage, { addressed: c.addressed, total: c.total, area: area ? area.title : target })));
  }
  return bar;
}

function drawVpc(model, ui, rerender) {
  const L = model.get("labels");
  const ctx = { ...boardContext(model, ui, rerender), compact: true };
  const slot = (name) => ctx.areas.filter((a) => a.slot === name).map((a) => areaEl(a, ctx.notesIn(a.id), ctx));
  const extra = [coverageBar(model, ctx.areas)];
  if (ui.linkSource !== null && ctx.byId.has(ui.linkSource)) {
    extra.push(h("div", { class: "wk-banner wk-banner-link", role: "status" },
      `⇄ ${L.link} — “${ctx.byId.get(ui.linkSource).text.slice(0, 60)}” `,
      h("button", { class: "wk-btn wk-btn-small", type: "button", text: L.link_done, onclick: () => { ui.linkSource = null; rerender(); } })));
  } else {
    ui.linkSource = null;
  }
  return h("div", { class: "wk-root wk-vpc-root" },
    header(model, ui, rerender, extra),
    h("div", { class: "wk-vpc" },
      h("div", { class: "wk-vpc-side" },
        h("div", { class: "wk-vpc-label", text: L.value_map }),
        h("div", { class: "wk-vpc-square" }, ...slot("vm-left"), ...slot("vm-top"), ...slot("vm-bottom"))),
      h("div", { class: "wk-vpc-fit", "aria-hidden": "true", text: "⇄" }),
      h("div", { class: "wk-vpc-side" },
        h("div", { class: "wk-vpc-label", text: L.customer_profile }),
        h("div", { class: "wk-vpc-circle" }, ...slot("cp-top"), ...slot("cp-bottom"), ...slot("cp-right")))),
    h("p", { class: "wk-help", text: L.keyboard_help }));
}

export default {
  render({ model, el }) {
    el.classList.add("wk-widget");
    globalKeys(model, el);
    return liveRender(model, el, VPC_TRAITS, (ui, again) => drawVpc(model, ui, again));
  },
};
