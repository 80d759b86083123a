// @ts-check
// Interview capture + evidence coding. Traits only: reads interviews/current/hypotheses/
// evidence/touchpoints/formats/segments/texts/error/message, writes `current` and `request`.
// All user text is set with textContent or .value, never parsed as HTML. Helpers from common.js.

function field(labelText, control) {
  const wrap = el("label", "kit-iv-field");
  wrap.append(el("span", "kit-iv-label", labelText), control);
  return wrap;
}

let counter = 0;
const STANCES = ["supports", "contradicts", "new_insight"];
const SCORES = [-2, -1, 0, 1, 2];
const signed = (v) => (v > 0 ? `+${v}` : String(v));

/** −2…+2 buttons; the pressed one is `value`; clicking it again gives null (no score). */
function scoreButtons(value, label, onPick) {
  const row = el("span", "kit-iv-scores");
  row.setAttribute("role", "group");
  row.setAttribute("aria-label", label);
  for (const v of SCORES) {
    const b = el("button", `kit-iv-score${v === value ? " kit-iv-score-on" : ""}`, signed(v));
    b.type = "button";
    b.dataset.score = String(v);
    b.setAttribute("aria-pressed", String(v === value));
    b.setAttribute("aria-label", `${label} ${signed(v)}`);
    b.addEventListener("click", () => onPick(v === value ? null : v));
    row.append(b);
  }
  return row;
}

/** A touchpoint picker: "(no touchpoint)" then the workshop's touchpoints. */
function touchpointOptions(select, touchpoints, none, value) {
  const blank = el("option", "", none);
  blank.value = "";
  select.replaceChildren(blank, ...touchpoints.map((tp) => { const o = el("option", "", tp.name); o.value = String(tp.id); return o; }));
  select.value = value === null || value === undefined ? "" : String(value);
}

/** @param {RenderContext} ctx */
function render({ model, el: root }) {
  const t = () => model.get("texts") || {};
  counter += 1;
  const uid = `kit-iv-${counter}-${Math.random().toString(36).slice(2, 8)}`;
  let dirty = false;
  let score = null;  // the experience score for the next coded snippet

  const box = el("div", "kit-iv");
  const title = el("h3", "kit-iv-title");
  // -- interview picker and form
  const left = el("div", "kit-iv-capture");
  const picker = el("select", "kit-iv-picker");
  const add = el("button", "kit-iv-new");
  const pseudonym = el("input", "kit-iv-pseudonym");
  const segment = el("input", "kit-iv-segment");
  const segments = el("datalist");
  segments.id = `${uid}-segments`;
  segment.setAttribute("list", segments.id);
  const format = el("select", "kit-iv-format");
  const date = el("input", "kit-iv-date");
  date.type = "date";
  const interviewer = el("input", "kit-iv-interviewer");
  const notes = el("textarea", "kit-iv-notes");
  notes.rows = 10;
  const save = el("button", "kit-iv-save");
  const pickRow = el("div", "kit-iv-row");
  pickRow.append(picker, add);
  const labels = {};
  const form = el("div", "kit-iv-form");
  for (const [key, control] of [["pseudonym", pseudonym], ["segment", segment], ["format", format],
                                ["date", date], ["interviewer", interviewer]]) {
    const f = field("", control);
    labels[key] = f.firstChild;
    form.append(f);
  }
  const notesField = field("", notes);
  labels.notes = notesField.firstChild;
  left.append(pickRow, form, segments, notesField, save);

  // -- coding panel
  const right = el("div", "kit-iv-coding");
  const codingTitle = el("h4");
  const snippet = el("textarea", "kit-iv-snippet");
  snippet.rows = 3;
  const hypothesis = el("select", "kit-iv-hypothesis");
  const touchpoint = el("select", "kit-iv-touchpoint");
  const scoreRow = el("div", "kit-iv-score-row");
  const buttons = el("div", "kit-iv-stances");
  const stanceButtons = {};
  for (const stance of STANCES) {
    const b = el("button", `kit-iv-stance kit-iv-${stance}`);
    b.dataset.stance = stance;
    b.addEventListener("click", () => code(stance));
    stanceButtons[stance] = b;
    buttons.append(b);
  }
  const keys = el("div", "kit-iv-keys");
  const status = el("div", "kit-iv-status");
  status.setAttribute("role", "status");
  const listTitle = el("h4");
  const list = el("ul", "kit-iv-evidence");
  const snippetField = field("", snippet);
  const hypothesisField = field("", hypothesis);
  const touchpointField = field("", touchpoint);
  const scoreKeys = el("div", "kit-iv-keys kit-iv-score-keys");
  right.append(codingTitle, snippetField, hypothesisField, touchpointField, scoreRow, buttons, keys, scoreKeys, status,
    listTitle, list);

  const columns = el("div", "kit-iv-columns");
  columns.append(left, right);
  box.append(title, columns);
  root.append(box);

  function values() {
    return { pseudonym: pseudonym.value, segment: segment.value, format: format.value, date: date.value,
             interviewer: interviewer.value, notes: notes.value };
  }

  function saveInterview() {
    dirty = false;
    send(model, "save", { id: model.get("current") || 0, fields: values() });
  }

  function selectedText() {
    const start = notes.selectionStart, end = notes.selectionEnd;
    return (document.activeElement === notes && end > start) ? notes.value.slice(start, end) : "";
  }

  function code(stance) {
    const current = model.get("current");
    const fromSelection = selectedText();
    const text = (fromSelection || snippet.value).trim();
    if (!current) { showStatus(t().interview_save_first, true); return; }
    if (!text) { showStatus(t().coding_need_snippet, true); return; }
    const chosen = hypothesis.value ? Number(hypothesis.value) : null;
    if (stance !== "new_insight" && !chosen) { showStatus(t().coding_need_hypothesis, true); return; }
    if (dirty) saveInterview();
    send(model, "code", { interview: current, snippet: text, hypothesis: chosen, stance,
                          touchpoint: touchpoint.value ? Number(touchpoint.value) : null, experience: score });
    snippet.value = "";
    setScore(null);
  }

  function setScore(value) {
    score = value;
    drawScore();
  }

  function drawScore() {
    const label = t().score_label || "";
    const caption = el("span", "kit-iv-label", `${label}: ${score === null ? (t().score_clear || "–") : signed(score)}`);
    caption.dataset.score = score === null ? "" : String(score);
    scoreRow.replaceChildren(caption, scoreButtons(score, label, setScore));
  }

  function showStatus(text, isError) {
    status.textContent = text || "";
    status.dataset.kind = isError ? "error" : "ok";
  }

  function drawTexts() {
    const tx = t();
    title.textContent = tx.interview_title || "";
    add.textContent = tx.interview_new || "+";
    for (const key of ["pseudonym", "segment", "format", "date", "interviewer", "notes"]) {
      labels[key].textContent = tx[`interview_${key}`] || key;
    }
    save.textContent = tx.interview_save || "Save";
    codingTitle.textContent = tx.coding_title || "";
    snippetField.firstChild.textContent = tx.coding_snippet || "";
    hypothesisField.firstChild.textContent = tx.coding_hypothesis || "";
    stanceButtons.supports.textContent = tx.coding_supports || "supports";
    stanceButtons.contradicts.textContent = tx.coding_contradicts || "contradicts";
    stanceButtons.new_insight.textContent = tx.coding_new_insight || "new insight";
    keys.textContent = tx.coding_keys || "";
    scoreKeys.textContent = tx.score_keys || "";
    touchpointField.firstChild.textContent = tx.touchpoint_label || "";
    drawScore();
    listTitle.textContent = tx.coding_list || "";
  }

  function drawOptions() {
    const tx = t();
    const formats = model.get("formats") || [];
    const keep = format.value;
    format.replaceChildren(...formats.map((f) => { const o = el("option", "", f.label); o.value = f.id; return o; }));
    if (keep) format.value = keep;
    segments.replaceChildren(...(model.get("segments") || []).map((s) => { const o = el("option"); o.value = s; return o; }));
    const keepH = hypothesis.value;
    const none = el("option", "", tx.coding_no_hypothesis || "–");
    none.value = "";
    const options = (model.get("hypotheses") || []).map((hyp, i) => {
      const o = el("option", "", `${i < 9 ? `[${i + 1}] ` : ""}${hyp.label}: ${hyp.statement}`);
      o.value = String(hyp.id);
      o.title = hyp.statement;
      return o;
    });
    hypothesis.replaceChildren(none, ...options);
    hypothesis.value = keepH;
    touchpointOptions(touchpoint, model.get("touchpoints") || [], tx.touchpoint_none || "–", touchpoint.value || null);
  }

  function drawPicker() {
    const current = model.get("current");
    const items = model.get("interviews") || [];
    const blank = el("option", "", t().interview_new || "+");
    blank.value = "0";
    picker.replaceChildren(blank, ...items.map((i) => {
      const o = el("option", "", `${i.pseudonym}${i.segment ? ` · ${i.segment}` : ""}`);
      o.value = String(i.id);
      return o;
    }));
    picker.value = String(current || 0);
  }

  function fillForm(force) {
    if (dirty && !force) return;
    const current = model.get("current");
    const found = (model.get("interviews") || []).find((i) => i.id === current);
    const v = found || { pseudonym: "", segment: "", format: (model.get("formats") || [{}])[0].id || "", date: "",
                         interviewer: "", notes: "" };
    pseudonym.value = v.pseudonym; segment.value = v.segment; format.value = v.format;
    date.value = v.date; interviewer.value = v.interviewer; notes.value = v.notes;
    dirty = false;
  }

  function drawEvidence() {
    const tx = t();
    const items = model.get("evidence") || [];
    if (!items.length) { list.replaceChildren(el("li", "kit-iv-empty", tx.coding_none || "")); return; }
    list.replaceChildren(...items.map((e) => {
      const li = el("li", `kit-iv-item kit-iv-${e.stance}`);
      li.dataset.stance = e.stance;
      const badge = el("span", "kit-iv-badge", `${tx[`stance_${e.stance}`] || e.stance}${e.label ? ` → ${e.label}` : ""}`);
      const text = el("span", "kit-iv-snippet-text", e.snippet);
      const where = el("select", "kit-iv-item-touchpoint");
      where.setAttribute("aria-label", tx.touchpoint_label || "");
      touchpointOptions(where, model.get("touchpoints") || [], tx.touchpoint_none || "–", e.touchpoint);
      where.addEventListener("change", () => send(model, "tag", { id: e.id, touchpoint: where.value ? Number(where.value) : null }));
      const tags = el("span", "kit-iv-tags");
      tags.append(where, scoreButtons(e.experience, tx.score_label || "", (v) => send(model, "tag", { id: e.id, experience: v })));
      const body = el("div", "kit-iv-item-body");
      body.append(text, tags);
      li.dataset.experience = e.experience === null ? "" : String(e.experience);
      li.dataset.touchpoint = e.touchpoint === null ? "" : String(e.touchpoint);
      const remove = el("button", "kit-iv-remove", "×");
      remove.title = tx.coding_remove || "";
      remove.setAttribute("aria-label", tx.coding_remove || "");
      remove.addEventListener("click", () => send(model, "remove", { id: e.id }));
      li.append(badge, body, remove);
      return li;
    }));
  }

  // -- events
  picker.addEventListener("change", () => {
    if (dirty && model.get("current")) saveInterview();
    model.set("current", Number(picker.value));
    model.save_changes();
    fillForm(true);
  });
  add.addEventListener("click", () => {
    if (dirty && model.get("current")) saveInterview();
    model.set("current", 0);
    model.save_changes();
    fillForm(true);
    pseudonym.focus();
  });
  for (const control of [pseudonym, segment, format, date, interviewer, notes]) {
    control.addEventListener("input", () => { dirty = true; });
    control.addEventListener("change", () => { if (model.get("current")) saveInterview(); });
  }
  save.addEventListener("click", saveInterview);
  const grab = () => { const s = selectedText(); if (s) snippet.value = s; };
  notes.addEventListener("mouseup", grab);
  notes.addEventListener("keyup", grab);
  box.addEventListener("keydown", (event) => {
    if (!event.altKey || event.ctrlKey || event.metaKey) return;
    const options = model.get("hypotheses") || [];
    let handled = true;
    if (event.shiftKey && /^Digit[1-5]$/.test(event.code)) {
      const v = SCORES[Number(event.code.slice(5)) - 1];
      setScore(v === score ? null : v);
    } else if (event.shiftKey) handled = false;
    else if (event.code === "KeyT") touchpoint.focus();
    else if (/^Digit[1-9]$/.test(event.code)) {
      const pick = options[Number(event.code.slice(5)) - 1];
      if (pick) hypothesis.value = String(pick.id);
    } else if (event.code === "KeyS") code("supports");
    else if (event.code === "KeyC" || event.code === "KeyW") code("contradicts");
    else if (event.code === "KeyN") code("new_insight");
    else handled = false;
    if (handled) { event.preventDefault(); event.stopPropagation(); }
  }, true);

  drawTexts(); drawOptions(); drawPicker(); fillForm(true); drawEvidence();
  const handlers = {
    texts: () => { drawTexts(); drawOptions(); drawEvidence(); },
    formats: drawOptions, segments: drawOptions, hypotheses: drawOptions,
    touchpoints: () => { drawOptions(); drawEvidence(); },
    interviews: () => { drawPicker(); fillForm(false); },
    current: () => { drawPicker(); fillForm(true); },
    evidence: drawEvidence,
    error: () => { if (model.get("error")) showStatus(model.get("error"), true); },
    message: () => { if (model.get("message")) showStatus(model.get("message"), false); },
  };
  for (const [name, handler] of Object.entries(handlers)) model.on(`change:${name}`, handler);
  return () => { for (const [name, handler] of Object.entries(handlers)) model.off(`change:${name}`, handler); };
}

export default withConnection({ render });
