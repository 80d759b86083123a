// @ts-check
// Touchpoint map: stages as columns (from before first contact to afterwards), lanes as rows.
// Helpers (h, fmt, send, liveRender, header, draftInput, inlineEditor, dropZone, canvasWidget) come from common.js.

const TP_TRAITS = ["items", "ideas", "areas", "lanes", "personas", "curves", "evidence", "curve_labels", "controls", "labels", "error", "me", "title", "intro"];
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

/** y (0..100, top = +2) of an emotion value on the chart. */
const emoY = (v) => 50 - v * 20;

/** Runs of consecutive stages where `ok(point)` holds, as arrays of stage indices (lines break at gaps). */
function runs(points, ok) {
  const out = [];
  let run = [];
  points.forEach((p, i) => { if (ok(p)) run.push(i); else if (run.length) { out.push(run); run = []; } });
  if (run.length) out.push(run);
  return out;
}

/** The quotes behind one evidence point, under pseudonyms, as text only (never HTML). */
function quotePanel(persona, point, stage, ctx) {
  const { C, ui } = ctx;
  const mean = point.mean === null ? "–" : point.mean.toFixed(2);
  const list = h("ul", { class: "kit-ev-quotes" });
  for (const q of point.quotes) {
    list.append(h("li", { class: "kit-ev-quote", dataset: { evidence: q.evidence } },
      h("span", { class: "kit-ev-who", text: `${q.pseudonym} (${q.score > 0 ? "+" : ""}${q.score}, ${q.touchpoint}): ` }),
      h("span", { class: "kit-ev-snippet", text: q.snippet })));
  }
  return h("div", { class: "kit-ev-panel", role: "region", dataset: { key: "evpanel" },
    "aria-label": fmt(C.quotes_title, { persona, stage: stage.title, mean, n: point.n }) },
    h("div", { class: "kit-ev-panel-top" },
      h("strong", { text: fmt(C.quotes_title, { persona, stage: stage.title, mean, n: point.n }) }),
      h("button", { class: "kit-btn kit-btn-small", type: "button", text: "×", title: C.close, "aria-label": C.close,
        onclick: () => { ui.quotes = null; ctx.rerender(); } })),
    list);
}

/** The emotion lane: per persona the evidence curve (mean line, ± SD band, n beside each point,
 *  flagged stages tagged in words) and the team's estimate dashed beside it. */
function emotionCurves(ctx) {
  const { model, stages, L, ui, rerender } = ctx;
  const C = model.get("curve_labels") || {};
  const curves = model.get("curves") || {};
  const evidence = (model.get("evidence") || {}).personas || [];
  const names = [...new Set([...Object.keys(curves), ...evidence.map((p) => p.name)])];
  const color = (persona) => PERSONA_COLORS[Math.max(0, names.indexOf(persona)) % PERSONA_COLORS.length];
  const n = stages.length;
  const x = (i) => i * 100 + 50;
  const box = h("div", { class: "kit-emo-chart", style: { gridColumn: `2 / span ${n}` } });
  const plot = svg("svg", { viewBox: `0 0 ${n * 100} 100`, preserveAspectRatio: "none", class: "kit-emo-svg", role: "img", "aria-label": L.emotion });
  /** One line through a persona's values across the stages that have one (stages without a value are passed over). */
  const lineThrough = (values, persona, cls) => {
    const at = values.map((v, i) => (v === null ? null : `${x(i)},${emoY(v)}`)).filter(Boolean);
    if (at.length > 1) plot.append(svg("polyline", { points: at.join(" "), stroke: color(persona), class: `kit-emo-line ${cls}`, "data-persona": persona }));
  };
  plot.append(svg("line", { x1: 0, x2: n * 100, y1: 50, y2: 50, class: "kit-emo-zero" }));
  for (let i = 1; i < n; i++) plot.append(svg("line", { x1: i * 100, x2: i * 100, y1: 0, y2: 100, class: "kit-emo-grid" }));
  const area = h("div", { class: "kit-emo-plot" }, plot);
  box.append(area);
  // the team's estimate: dashed, small hollow marks
  for (const persona of Object.keys(curves)) {
    const line = curves[persona];
    lineThrough(line, persona, "kit-emo-team");
    line.forEach((v, i) => {
      if (v === null) return;
      area.append(h("span", { class: "kit-emo-dot kit-emo-team-dot", title: `${C.key_team} · ${persona}: ${v}`,
        dataset: { persona, stage: stages[i].id }, style: { left: `${((i + 0.5) / n) * 100}%`, top: `${emoY(v)}%`, borderColor: color(persona) } }));
    });
  }
  // the evidence: band, mean line, focusable points with n, flags in words
  const flags = stages.map(() => h("div", { class: "kit-ev-flagcell" }));
  const missing = [];
  let gaps = false;
  for (const curve of evidence) {
    const persona = curve.name;
    const pts = curve.points;
    if (!curve.has_evidence) { if (names.length) missing.push(persona); continue; }
    gaps = gaps || pts.some((p) => !p.n);
    for (const run of runs(pts, (p) => p.low !== null && p.high !== null)) {
      const upper = run.map((i) => `${x(i) - (run.length === 1 ? 14 : 0)},${emoY(pts[i].high)}`);
      const lower = run.map((i) => `${x(i) + (run.length === 1 ? 14 : 0)},${emoY(pts[i].low)}`).reverse();
      if (run.length === 1) { upper.push(`${x(run[0]) + 14},${emoY(pts[run[0]].high)}`); lower.push(`${x(run[0]) - 14},${emoY(pts[run[0]].low)}`); }
      plot.append(svg("polygon", { points: [...upper, ...lower].join(" "), fill: color(persona), class: "kit-ev-band", "data-persona": persona }));
    }
    lineThrough(pts.map((p) => (p.n ? p.mean : null)), persona, "kit-ev-line");
    pts.forEach((p, i) => {
      if (!p.n) return;
      const key = `ev:${persona}:${stages[i].id}`;
      const label = fmt(C.point_label, { persona, stage: stages[i].title, mean: p.mean.toFixed(2), n: p.n,
        team: p.team === null ? "–" : p.team.toFixed(2) });
      const open = () => { ui.quotes = ui.quotes === key ? null : key; rerender(); };
      area.append(h("span", { class: `kit-ev-point${p.flag ? " kit-ev-flagged" : ""}`, tabindex: 0, role: "button",
        "aria-label": label, title: label, "aria-expanded": String(ui.quotes === key),
        dataset: { key, persona, stage: stages[i].id, n: p.n, mean: p.mean, flag: p.flag },
        style: { left: `${((i + 0.5) / n) * 100}%`, top: `${emoY(p.mean)}%`, background: color(persona) },
        onclick: open,
        onkeydown: (ev) => { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); open(); } } }));
      area.append(h("span", { class: "kit-ev-n", text: `n=${p.n}`, dataset: { persona, stage: stages[i].id },
        style: { left: `${((i + 0.5) / n) * 100}%`, top: `${emoY(p.mean)}%`, color: color(persona) } }));
      if (p.flag) {
        flags[i].append(h("span", { class: `kit-ev-flag kit-ev-flag-${p.flag}`, dataset: { persona, stage: stages[i].id },
          style: { borderColor: color(persona) }, text: `⚑ ${persona}: ${p.flag === "worse" ? C.flag_worse : C.flag_better}` }));
      }
    });
  }
  box.append(h("div", { class: "kit-ev-flags", style: { gridTemplateColumns: `repeat(${n}, 1fr)` } }, flags));
  const legend = h("div", { class: "kit-emo-legend" });
  names.forEach((persona) => legend.append(h("span", { class: "kit-emo-key" },
    h("span", { class: "kit-emo-swatch", style: { background: color(persona) } }), persona)));
  if (names.length) {
    legend.append(h("span", { class: "kit-emo-key" }, h("span", { class: "kit-emo-swatch kit-ev-swatch-line" }), C.key_evidence),
      h("span", { class: "kit-emo-key" }, h("span", { class: "kit-emo-swatch kit-ev-swatch-band" }), C.key_band),
      h("span", { class: "kit-emo-key" }, h("span", { class: "kit-emo-swatch kit-ev-swatch-team" }), C.key_team));
  } else legend.append(h("span", { class: "kit-muted", text: L.no_personas }));
  const below = h("div", { class: "kit-ev-below" }, legend);
  box.append(below);
  for (const persona of missing) below.append(h("div", { class: "kit-ev-note kit-ev-missing", dataset: { persona }, text: fmt(C.persona_no_points, { persona }) }));
  if (gaps || missing.length) below.append(h("div", { class: "kit-ev-note", text: C.no_point }));
  if (evidence.some((c) => c.has_evidence)) below.append(h("div", { class: "kit-ev-note", text: C.quotes_hint }));
  const [, openPersona, openStage] = (ui.quotes || "").match(/^ev:(.*):([^:]*)$/) || [];
  const openCurve = evidence.find((c) => c.name === openPersona);
  const openIndex = stages.findIndex((s) => s.id === openStage);
  if (openCurve && openIndex >= 0 && openCurve.points[openIndex].n) {
    below.append(quotePanel(openPersona, openCurve.points[openIndex], stages[openIndex], { ...ctx, C }));
  }
  return box;
}

/** @param {WidgetModel} model @param {Record<string, any>} ui @param {() => void} rerender */
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
  // phone layout (touchpoints.css): one stage at a time, chosen in the switcher
  const switcher = areaSwitcher(model, ui, stages, { rerender, notesIn: inStage });
  const current = (id) => (id === ui.currentArea ? " kit-current" : "");
  const grid = h("div", { class: "kit-tpmap", style: { gridTemplateColumns: `9em repeat(${stages.length}, 17em)` } });

  // phase band: before first contact / from contact on
  const pre = stages.filter((s) => s.pre_contact).length;
  grid.append(h("div", { class: "kit-tp-corner" }));
  if (pre) grid.append(h("div", { class: "kit-phase kit-phase-pre", style: { gridColumn: `2 / span ${pre}` }, text: `◀ ${L.before_contact}` }));
  if (stages.length - pre) grid.append(h("div", { class: "kit-phase", style: { gridColumn: `${pre + 2} / span ${stages.length - pre}` }, text: `${L.from_contact} ▶` }));
  grid.append(h("div", { class: "kit-tp-corner" }));
  for (const s of stages) {
    grid.append(h("div", { class: `kit-stage${s.pre_contact ? " kit-stage-pre" : ""}${current(s.id)}`, dataset: { stage: s.id } },
      h("span", { class: "kit-stage-title", text: s.title }), h("span", { class: "kit-count", text: ` ${inStage(s.id).length}` })));
  }
  const colors = Object.fromEntries(personas.map((p, i) => [p, PERSONA_COLORS[i % PERSONA_COLORS.length]]));
  for (const lane of model.get("lanes")) {
    grid.append(h("div", { class: "kit-lane-title", dataset: { lane: lane.id }, text: lane.title }));
    if (lane.id === "emotion") { grid.append(emotionCurves(ctx)); continue; }
    stages.forEach((s, si) => {
      const tps = inStage(s.id);
      const cell = h("div", { class: `kit-cell kit-cell-${lane.id}${current(s.id)}`, dataset: { lane: lane.id, stage: s.id } });
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
  return rootEl(model, "kit-tp-root", header(model, ui, rerender), switcher,
    h("div", { class: "kit-tp-scroll", dataset: { scroll: "tpmap" } }, grid));
}

export default canvasWidget(TP_TRAITS, drawMap);
