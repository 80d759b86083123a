// Touchpoint map: stages as columns (from before first contact to afterwards), lanes as rows.
// Helpers (h, fmt, send, liveRender, header, draftInput, inlineEditor, dropZone, globalKeys) come from common.js.

const TP_TRAITS = ["items", "ideas", "areas", "lanes", "personas", "curves", "controls", "labels", "error", "me", "title", "intro"];
const PERSONA_COLORS = ["#1f5fbf", "#c0392b", "#1e8449", "#8e44ad", "#d35400", "#16a085"];
const SVG_NS = "http://www.w3.org/2000/svg";

function svg(tag, attrs = {}) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

/** A short text field shown as text; click or Enter turns it into an input. */
function fieldText(tp, field, placeholder, ctx, cls = "") {
  const { model, ui, rerender, readonly } = ctx;
  const key = `tp:${tp.id}:${field}`;
  if (ui.editing === key) {
    return inlineEditor(ui, key, tp[field] || "", (value) => send(model, "edit", { id: tp.id, fields: { [field]: value } }), rerender, false);
  }
  const value = tp[field] || "";
  return h("span", {
    class: `kit-field ${cls}${value ? "" : " kit-field-empty"}`, tabindex: readonly ? undefined : 0, role: readonly ? undefined : "button",
    dataset: { key, field }, title: placeholder, text: value || placeholder,
    onclick: () => { if (!readonly) { ui.editing = key; rerender(); } },
    onkeydown: (ev) => { if (!readonly && (ev.key === "Enter" || ev.key === "F2")) { ev.preventDefault(); ui.editing = key; rerender(); } },
  });
}

/** Rating buttons 1..5 for Ist or Soll; clicking the current value clears it. */
function ratingRow(tp, field, label, ctx) {
  const row = h("div", { class: `kit-rating kit-rating-${field}` }, h("span", { class: "kit-rating-label", text: label }));
  for (let r = 1; r <= 5; r++) {
    row.append(h("button", {
      class: `kit-rate${tp[field] !== null && r <= tp[field] ? " kit-rate-on" : ""}`, type: "button", disabled: ctx.readonly,
      text: String(r), "aria-label": `${label} ${r}`, "aria-pressed": String(tp[field] === r), dataset: { field, value: r },
      onclick: () => send(ctx.model, "rate", { id: tp.id, field, value: tp[field] === r ? null : r }),
    }));
  }
  return row;
}

function emotionRow(tp, persona, color, ctx) {
  const row = h("div", { class: "kit-emo-row" }, h("span", { class: "kit-emo-persona", style: { color }, text: persona }));
  for (const v of [-2, -1, 0, 1, 2]) {
    const on = tp.emotion[persona] === v;
    row.append(h("button", {
      class: `kit-emo${on ? " kit-emo-on" : ""}`, type: "button", disabled: ctx.readonly, style: on ? { background: color } : undefined,
      text: ["☹", "🙁", "😐", "🙂", "😀"][v + 2], "aria-label": `${persona} ${v}`, "aria-pressed": String(on), dataset: { persona, value: v },
      onclick: () => send(ctx.model, "emotion", { id: tp.id, persona, value: on ? null : v }),
    }));
  }
  return row;
}

/** The context for one touchpoint's controls: read-only when locked or when it is somebody else's. */
function forTouchpoint(tp, ctx) {
  return tp.editable === false && !ctx.readonly ? { ...ctx, readonly: true } : ctx;
}

function touchpointCard(tp, stageIndex, siblings, ctx) {
  const { model, L, readonly, stages } = ctx;
  const pos = siblings.indexOf(tp);
  const move = (area, index) => send(model, "move", { id: tp.id, area, index });
  const card = h("article", {
    class: `kit-note kit-tp${tp.moment_of_truth ? " kit-tp-mot" : ""}`, tabindex: 0, draggable: String(!readonly),
    dataset: { id: tp.id, key: `tpcard:${tp.id}` }, "aria-label": tp.name,
  });
  card.append(h("div", { class: "kit-tp-top" },
    h("button", { class: `kit-mot${tp.moment_of_truth ? " kit-mot-on" : ""}`, type: "button", disabled: readonly,
      text: tp.moment_of_truth ? "★" : "☆", title: L.moment_of_truth, "aria-label": L.moment_of_truth,
      "aria-pressed": String(!!tp.moment_of_truth), dataset: { action: "mot" },
      onclick: () => send(model, "mot", { id: tp.id, value: !tp.moment_of_truth }) }),
    fieldText(tp, "name", L.add_touchpoint, ctx, "kit-tp-name")));
  card.append(h("div", { class: "kit-tp-line" }, h("span", { class: "kit-tp-key", text: L.channel }), fieldText(tp, "channel", "…", ctx)));
  if (!readonly) {
    card.append(h("div", { class: "kit-note-actions" },
      h("button", { class: "kit-btn kit-btn-small", type: "button", text: "◀", title: L.move_left, "aria-label": L.move_left,
        disabled: stageIndex === 0, onclick: () => move(stages[stageIndex - 1].id) }),
      h("button", { class: "kit-btn kit-btn-small", type: "button", text: "▲", title: L.move_up, "aria-label": L.move_up,
        disabled: pos === 0, onclick: () => move(tp.stage, pos - 1) }),
      h("button", { class: "kit-btn kit-btn-small", type: "button", text: "▼", title: L.move_down, "aria-label": L.move_down,
        disabled: pos === siblings.length - 1, onclick: () => move(tp.stage, pos + 1) }),
      h("button", { class: "kit-btn kit-btn-small", type: "button", text: "▶", title: L.move_right, "aria-label": L.move_right,
        disabled: stageIndex === stages.length - 1, onclick: () => move(stages[stageIndex + 1].id) }),
      h("button", { class: "kit-btn kit-btn-small kit-btn-danger", type: "button", text: "🗑", title: L.delete, "aria-label": L.delete,
        dataset: { action: "delete" }, onclick: () => send(model, "delete", { id: tp.id }) })));
    on(card, "dragstart", (ev) => {
      ev.dataTransfer.setData(NOTE_TYPE, String(tp.id));
      ev.dataTransfer.effectAllowed = "move";
    });
    on(card, "keydown", (ev, node) => {
      if (ev.target !== node) return;
      if (ev.key === "Delete") { ev.preventDefault(); send(model, "delete", { id: tp.id }); }
      else if (ev.altKey && ev.key === "ArrowLeft" && stageIndex > 0) { ev.preventDefault(); move(stages[stageIndex - 1].id); }
      else if (ev.altKey && ev.key === "ArrowRight" && stageIndex < stages.length - 1) { ev.preventDefault(); move(stages[stageIndex + 1].id); }
      else if (ev.altKey && ev.key === "ArrowUp" && pos > 0) { ev.preventDefault(); move(tp.stage, pos - 1); }
      else if (ev.altKey && ev.key === "ArrowDown") { ev.preventDefault(); move(tp.stage, pos + 1); }
      else if (ev.key === "Enter") { ev.preventDefault(); ctx.ui.editing = `tp:${tp.id}:name`; ctx.rerender(); }
    });
  }
  return card;
}

function ideaCard(idea, ctx) {
  const { model, L, readonly, ui, rerender, byId } = ctx;
  const c = model.get("controls") || {};
  const key = `idea:${idea.id}`;
  const editable = !readonly && idea.editable !== false;
  const card = h("article", { class: `kit-idea${idea.hidden ? " kit-hidden" : ""}`, tabindex: 0, dataset: { id: idea.id, key } });
  if (ui.editing === key && editable) {
    card.append(inlineEditor(ui, key, idea.text, (text) => send(model, "idea_edit", { id: idea.id, text }), rerender));
  } else {
    card.append(h("div", { class: "kit-note-text", text: idea.text, ondblclick: () => { if (editable) { ui.editing = key; rerender(); } } }));
  }
  const meta = h("div", { class: "kit-note-meta" });
  if (idea.touchpoint && byId.has(idea.touchpoint)) meta.append(h("span", { class: "kit-badge", text: `↳ ${byId.get(idea.touchpoint).name}` }));
  meta.append(h("span", { class: "kit-vote-count", text: `● ${idea.votes}`, title: L.votes }));
  if (c.vote_open && !readonly) {
    meta.append(h("button", { class: "kit-btn kit-btn-small", type: "button", text: "+", title: L.vote, "aria-label": L.vote,
      dataset: { action: "vote" }, onclick: () => send(model, "idea_vote", { id: idea.id, dots: 1 }) }));
    if (idea.my_votes > 0) {
      meta.append(h("button", { class: "kit-btn kit-btn-small", type: "button", text: "−", title: L.unvote, "aria-label": L.unvote,
        dataset: { action: "unvote" }, onclick: () => send(model, "idea_vote", { id: idea.id, dots: -1 }) }));
    }
  }
  if (idea.hidden) meta.append(h("span", { class: "kit-badge kit-badge-hidden", text: `🙈 ${L.hidden}` }));
  if (editable) {
    meta.append(h("button", { class: "kit-btn kit-btn-small kit-btn-danger", type: "button", text: "🗑", title: L.delete, "aria-label": L.delete,
      dataset: { action: "delete" }, onclick: () => send(model, "idea_delete", { id: idea.id }) }));
  }
  card.append(meta);
  return card;
}

/** The emotion curves: one line per persona across all stages (mean of its touchpoints per stage). */
function emotionCurves(ctx) {
  const { model, stages, L } = ctx;
  const curves = model.get("curves") || {};
  const personas = Object.keys(curves);
  const n = stages.length;
  const box = h("div", { class: "kit-emo-chart", style: { gridColumn: `2 / span ${n}` } });
  const plot = svg("svg", { viewBox: `0 0 ${n * 100} 100`, preserveAspectRatio: "none", class: "kit-emo-svg", role: "img", "aria-label": L.emotion });
  plot.append(svg("line", { x1: 0, x2: n * 100, y1: 50, y2: 50, class: "kit-emo-zero" }));
  for (let i = 1; i < n; i++) plot.append(svg("line", { x1: i * 100, x2: i * 100, y1: 0, y2: 100, class: "kit-emo-grid" }));
  const area = h("div", { class: "kit-emo-plot" }, plot);
  box.append(area);
  personas.forEach((persona, p) => {
    const color = PERSONA_COLORS[p % PERSONA_COLORS.length];
    const pts = curves[persona].map((v, i) => (v === null ? null : [i * 100 + 50, 50 - v * 20, v, i])).filter(Boolean);
    if (pts.length > 1) {
      plot.append(svg("polyline", { points: pts.map(([x, y]) => `${x},${y}`).join(" "), stroke: color, class: "kit-emo-line" }));
    }
    for (const [, y, v, i] of pts) {
      area.append(h("span", { class: "kit-emo-dot", title: `${persona}: ${v}`, dataset: { persona, stage: stages[i].id },
        style: { left: `${((i + 0.5) / n) * 100}%`, top: `${y}%`, background: color } }));
    }
  });
  const legend = h("div", { class: "kit-emo-legend" });
  personas.forEach((persona, p) => legend.append(h("span", { class: "kit-emo-key" },
    h("span", { class: "kit-emo-swatch", style: { background: PERSONA_COLORS[p % PERSONA_COLORS.length] } }), persona)));
  if (!personas.length) legend.append(h("span", { class: "kit-muted", text: L.no_personas }));
  box.append(legend);
  return box;
}

function drawMap(model, ui, rerender) {
  const L = model.get("labels");
  const stages = model.get("areas");
  const items = model.get("items");
  const ideas = model.get("ideas");
  const personas = model.get("personas") || [];
  const readonly = !!(model.get("controls") || {}).readonly;
  const byId = new Map(items.map((t) => [t.id, t]));
  const ctx = { model, ui, rerender, L, stages, readonly, byId };
  const inStage = (id) => items.filter((t) => t.stage === id);
  const grid = h("div", { class: "kit-tpmap", style: { gridTemplateColumns: `9em repeat(${stages.length}, 17em)` } });

  // phase band: before first contact / from contact on
  const pre = stages.filter((s) => s.pre_contact).length;
  grid.append(h("div", { class: "kit-tp-corner" }));
  if (pre) grid.append(h("div", { class: "kit-phase kit-phase-pre", style: { gridColumn: `2 / span ${pre}` }, text: `◀ ${L.before_contact}` }));
  if (stages.length - pre) grid.append(h("div", { class: "kit-phase", style: { gridColumn: `${pre + 2} / span ${stages.length - pre}` }, text: `${L.from_contact} ▶` }));
  grid.append(h("div", { class: "kit-tp-corner" }));
  for (const s of stages) {
    grid.append(h("div", { class: `kit-stage${s.pre_contact ? " kit-stage-pre" : ""}`, dataset: { stage: s.id } },
      h("span", { class: "kit-stage-title", text: s.title }), h("span", { class: "kit-count", text: ` ${inStage(s.id).length}` })));
  }
  const colors = Object.fromEntries(personas.map((p, i) => [p, PERSONA_COLORS[i % PERSONA_COLORS.length]]));
  for (const lane of model.get("lanes")) {
    grid.append(h("div", { class: "kit-lane-title", dataset: { lane: lane.id }, text: lane.title }));
    if (lane.id === "emotion") { grid.append(emotionCurves(ctx)); continue; }
    stages.forEach((s, si) => {
      const tps = inStage(s.id);
      const cell = h("div", { class: `kit-cell kit-cell-${lane.id}`, dataset: { lane: lane.id, stage: s.id } });
      if (lane.id === "touchpoints") {
        const list = h("div", { class: "kit-notes kit-tp-list" });
        for (const tp of tps) list.append(touchpointCard(tp, si, tps, forTouchpoint(tp, ctx)));
        dropZone(model, cell, s.id, readonly);
        cell.append(list);
        if (!readonly) {
          cell.append(h("div", { class: "kit-add" }, draftInput(ui, `addtp:${s.id}`,
            { placeholder: L.add_touchpoint, "aria-label": `${s.title}: ${L.add_touchpoint}` },
            (text) => send(model, "add", { area: s.id, text }))));
        }
      } else if (lane.id === "owners") {
        for (const tp of tps) {
          cell.append(h("div", { class: "kit-tp-block", dataset: { id: tp.id } },
            h("div", { class: "kit-tp-ref", text: tp.name }),
            h("div", { class: "kit-tp-line" }, h("span", { class: "kit-tp-key", text: L.owner_front }), fieldText(tp, "owner", "…", forTouchpoint(tp, ctx))),
            h("div", { class: "kit-tp-line" }, h("span", { class: "kit-tp-key", text: L.owner_back }), fieldText(tp, "backstage_owner", "…", forTouchpoint(tp, ctx)))));
        }
      } else if (lane.id === "ratings") {
        for (const tp of tps) {
          const gap = tp.ist_rating !== null && tp.soll_target !== null ? tp.soll_target - tp.ist_rating : null;
          const block = h("div", { class: "kit-tp-block", dataset: { id: tp.id } },
            h("div", { class: "kit-tp-ref" }, tp.name, gap !== null && gap > 0 ? h("span", { class: "kit-gap-badge", text: ` Δ ${gap}` }) : null),
            ratingRow(tp, "ist_rating", L.ist, forTouchpoint(tp, ctx)), ratingRow(tp, "soll_target", L.soll, forTouchpoint(tp, ctx)));
          for (const p of personas) block.append(emotionRow(tp, p, colors[p], forTouchpoint(tp, ctx)));
          cell.append(block);
        }
      } else if (lane.id === "ideas") {
        const own = ideas.filter((i) => i.stage === s.id);
        const list = h("div", { class: "kit-idea-list" });
        for (const idea of own) list.append(ideaCard(idea, ctx));
        cell.append(list);
        if (!readonly) {
          const pick = h("select", { class: "kit-move kit-idea-tp", "aria-label": L.add_touchpoint, dataset: { key: `ideatp:${s.id}` } },
            h("option", { value: "", text: L.no_touchpoint }));
          for (const tp of tps) pick.append(h("option", { value: tp.id, text: tp.name }));
          if (ui.drafts[`ideatp:${s.id}`]) pick.value = ui.drafts[`ideatp:${s.id}`];
          on(pick, "change", (ev, node) => { ui.drafts[`ideatp:${s.id}`] = node.value; });
          cell.append(h("div", { class: "kit-add kit-add-idea" }, draftInput(ui, `addidea:${s.id}`,
            { placeholder: L.idea_placeholder, "aria-label": `${s.title}: ${L.idea_placeholder}` },
            (text) => {
              const tp = ui.drafts[`ideatp:${s.id}`];
              send(model, "idea_add", { stage: s.id, text, touchpoint: tp ? Number(tp) : null });
            }), pick));
        }
      }
      grid.append(cell);
    });
  }
  return h("div", { class: "kit-root kit-tp-root" }, header(model, ui, rerender),
    h("div", { class: "kit-tp-scroll", dataset: { scroll: "tpmap" } }, grid));
}

export default {
  render({ model, el }) {
    el.classList.add("kit-widget");
    globalKeys(model, el);
    return liveRender(model, el, TP_TRAITS, (ui, again) => drawMap(model, ui, again));
  },
};
