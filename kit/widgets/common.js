// @ts-check
// Shared helpers of every widget (prepended to each widget's module by kit/widgets/base.py):
// DOM helpers (h, el, fmt), the request handshake (send), and the canvases' live rendering.
// Rules: user text goes into the page only through textContent / createTextNode, never as HTML.
// The browser only *asks* for changes (the `request` trait); Python applies them and sends state.
// One CSS prefix for everything a widget draws: kit-.
// Types: `make lint` runs TypeScript's checker over this file, every widget and the room's room.js
// (settings in tsconfig.json); the types below state the contract they share.

/**
 * anywidget's model contract: all a widget may ask of its model, in JupyterLab and in the room
 * (where room.js's `Model` implements it over the page's WebSocket).
 * @typedef {object} WidgetModel
 * @property {(key: string) => any} get  a trait's current value
 * @property {(key: string, value: any) => void} set  change a trait here (sent by save_changes)
 * @property {(event: string, fn: (...args: any[]) => void) => void} on  e.g. "change:items"
 * @property {(event?: string, fn?: (...args: any[]) => void) => void} off
 * @property {() => void} save_changes  send the traits set since the last call
 * @property {(content: any, callbacks?: any, buffers?: any[]) => void} send  a custom message to Python
 */
/** @typedef {{ model: WidgetModel, el: HTMLElement }} RenderContext */
/** @typedef {void | (() => void)} Cleanup */
/** @typedef {(ctx: RenderContext) => Cleanup | Promise<Cleanup>} Render */
/** What every widget module exports by default. @typedef {{ render: Render }} Widget */
/** A node the delegated dispatcher knows (handlers by event type). @typedef {Node & { _wkOn?: Record<string, Function> }} WkNode */

/**
 * Create an element. attrs: class, text, title, dataset, style, aria-*, on<Event>; children: nodes or text.
 * @param {string} tag
 * @param {Record<string, any>} [attrs]
 * @param {...any} children
 * @returns {any} the element (any: callers use the properties of the tag they asked for)
 */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "text") el.textContent = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key === "style") Object.assign(el.style, value);
    else if (key.startsWith("on")) on(el, key.slice(2).toLowerCase(), value);
    else if (value === true) el.setAttribute(key, "");
    else el.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === "string" || typeof child === "number" ? document.createTextNode(String(child)) : child);
  }
  return el;
}

/**
 * A plain element with a class and a text (the small widgets build their DOM once with this).
 * @param {string} tag
 * @param {string | null} [cls]
 * @param {string} [text]
 * @returns {any}
 */
function el(tag, cls, text) {
  return h(tag, { class: cls || undefined, text });
}

// ----------------------------------------------------------------------------- stable DOM, delegated events
// A re-render never replaces the page: `morph` updates the existing nodes in place (notes keyed by
// data-key / data-id), so a button under the pointer survives a remote update arriving between
// mousedown and mouseup. Nodes carry no listeners of their own: `on` stores a handler on the node
// (morph hands the newest one to the kept node) and one listener per event type on the widget's root
// dispatches to it, walking up from the event target like normal bubbling. Handlers get (event, node).

const DELEGATED = ["click", "dblclick", "keydown", "input", "change", "focusout", "dragstart", "dragover",
  "dragleave", "drop"];

/**
 * Attach a handler to a node for the root's dispatcher ("blur" means focus leaving this very node).
 * @template {Node} N
 * @param {N & { _wkOn?: Record<string, Function> }} el
 * @param {string} type
 * @param {(ev: any, node: any) => void} fn
 * @returns {N}
 */
function on(el, type, fn) {
  el._wkOn = el._wkOn || {};
  el._wkOn[type === "blur" ? "focusout" : type] = fn;
  return el;
}

/** One listener per event type on the stable root; handlers are looked up on the nodes at event time.
 * @param {HTMLElement} root */
function delegate(root) {
  for (const type of DELEGATED) {
    root.addEventListener(type, (ev) => {
      let stopped = false;
      const stop = ev.stopPropagation;
      ev.stopPropagation = () => { stopped = true; stop.call(ev); };
      for (let node = /** @type {any} */ (ev.target); node && node !== root && !stopped; node = node.parentNode) {
        const fn = node._wkOn && node._wkOn[type];
        if (!fn || (type === "focusout" && node !== ev.target)) continue;
        fn(ev, node);
      }
    });
  }
}

function keyOf(node) {
  if (node.nodeType !== 1 || !node.dataset) return null;
  if (node.dataset.key) return `k:${node.dataset.key}`;
  return node.dataset.id ? `${node.nodeName}:${node.dataset.id}` : null;
}

/** Make `old` look like `neu` (same tag), keeping `old` and every child that can be kept. */
function morph(old, neu) {
  if (neu._wkKeep) { if (neu._wkAfter) neu._wkAfter(old); return; }  // still right (see keep): left as it is
  if (old.nodeType === 3 || old.nodeType === 8) {
    if (old.nodeValue !== neu.nodeValue) old.nodeValue = neu.nodeValue;
    return;
  }
  for (const a of [...old.attributes]) if (!neu.hasAttribute(a.name)) old.removeAttribute(a.name);
  for (const a of [...neu.attributes]) if (old.getAttribute(a.name) !== a.value) old.setAttribute(a.name, a.value);
  old._wkOn = neu._wkOn;
  morphChildren(old, neu);
  const tag = old.nodeName;
  if ((tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") && old !== document.activeElement && old.value !== neu.value) {
    old.value = neu.value;  // a field being typed in keeps what the user typed
  }
}

function morphChildren(old, neu) {
  const keyed = new Map();
  const loose = [];
  for (const child of old.childNodes) {
    const key = keyOf(child);
    if (key && !keyed.has(key)) keyed.set(key, child); else loose.push(child);
  }
  let next = 0;
  const wanted = [];
  for (let child of [...neu.childNodes]) {
    const key = keyOf(child);
    let match = null;
    if (key) {
      match = keyed.get(key);
      if (match && match.nodeName === child.nodeName) keyed.delete(key); else match = null;
    } else {
      while (next < loose.length && !match) {
        const candidate = loose[next++];
        if (candidate.nodeName === child.nodeName) match = candidate;
      }
    }
    if (match) morph(match, child);
    else child = materialize(child);
    wanted.push(match || child);
  }
  const keep = new Set(wanted);
  for (const child of [...old.childNodes]) if (!keep.has(child)) child.remove();
  wanted.forEach((child, i) => {
    if (old.childNodes[i] !== child) old.insertBefore(child, old.childNodes[i] || null);
  });
}

/** A new node for the page: stand-ins for kept elements in it (see keep) built in full, as nothing is kept there. */
function materialize(node) {
  if (node._wkBuild) return node._wkBuild();
  if (node.nodeType === 1) for (const stub of node.querySelectorAll("[data-wkstub]")) stub.replaceWith(stub._wkBuild());
  return node;
}

/** A stand-in that tells morph to keep the page's element of the same key as it is (`build` makes it in full). */
function keep(tag, key, build) {
  const stub = h(tag, { dataset: { key, wkstub: "" } });
  stub._wkKeep = true;
  stub._wkBuild = build;
  return stub;
}

/** Fill {name} placeholders of a label. */
function fmt(template, values) {
  return String(template || "").replace(/\{(\w+)\}/g, (m, k) => (k in values ? String(values[k]) : m));
}

let nonceCounter = 0;
/** The one request handshake: ask Python for one change. Python applies it through the viewer's
 *  session, pushes the new state, echoes the nonce in `ack` and puts any refusal in `error`.
 * @param {WidgetModel} model
 * @param {string} op
 * @param {Record<string, any>} [payload]
 * @returns {string} the nonce Python will echo */
function send(model, op, payload = {}) {
  const nonce = `${Date.now()}-${++nonceCounter}-${Math.random().toString(36).slice(2, 8)}`;
  model.set("request", { ...payload, op, nonce });
  model.save_changes();
  return nonce;
}

/** The shortest time between two runs that only draw item changes (other people's notes), in ms. */
const ITEM_PACE_MS = 300;

/**
 * Re-render at most once per batch of trait changes, keeping focus, typed drafts and scroll positions.
 * A batch that changed only item lists (a patch: someone added, changed or removed notes) goes to
 * `update` first, which touches only what those notes show; it returns false when the change needs
 * the whole widget drawn again (then `draw` runs, as for any other change).
 * @param {WidgetModel} model
 * @param {HTMLElement} el
 * @param {string[]} traits  the traits whose change re-renders
 * @param {(ui: Record<string, any>, rerender: () => void) => Element} draw
 * @param {(ui: Record<string, any>, rerender: () => void) => boolean} [update]
 * @returns {() => void} stops following the model
 */
function liveRender(model, el, traits, draw, update) {
  /** @type {Record<string, any>} */
  const ui = { drafts: {}, editing: null, linkSource: null, openMenu: null, errorHidden: "", rendering: false };
  let scheduled = false;
  let whole = true;  // the next run draws everything (the first one, and after the widget's own rerender)
  const changed = new Set();  // the traits changed since the last run
  /** @type {ReturnType<typeof setTimeout> | null} */
  let timer = null;  // a run of item changes that came within ITEM_PACE_MS of the last
  let drawn = -Infinity;  // when the last run ended (performance.now())
  let renders = 0;
  const drawAll = () => {
    const scrolls = [...el.querySelectorAll("[data-scroll]")].map((n) => /** @type {HTMLElement} */ (n))
      .map((n) => /** @type {[HTMLElement, string, number, number]} */ ([n, n.dataset.scroll, n.scrollTop, n.scrollLeft]));
    const next = draw(ui, rerender);
    const current = el.firstElementChild;
    if (current && current.nodeName === next.nodeName && el.childNodes.length === 1) morph(current, next);
    else el.replaceChildren(next);
    ui.parts = null;  // the parts update() looks up again
    for (const [kept, k, top, left] of scrolls) {  // a kept node keeps its scroll (and reading it would force a layout)
      if (kept.isConnected) continue;
      const n = el.querySelector(`[data-scroll="${CSS.escape(k)}"]`);
      if (n) { n.scrollTop = top; n.scrollLeft = left; }
    }
  };
  const run = () => {
    scheduled = false;
    if (timer !== null) { clearTimeout(timer); timer = null; }
    if (!whole && !changed.size) return;
    const itemsOnly = !whole && [...changed].every((t) => ITEM_KEYS.includes(t));
    whole = false;
    changed.clear();
    const active = /** @type {any} */ (document.activeElement);
    const keyed = active && el.contains(active) ? active.closest("[data-key]") : null;
    const key = keyed ? keyed.dataset.key : null;
    const sel = keyed === active && "selectionStart" in active ? [active.selectionStart, active.selectionEnd] : null;
    const t0 = performance.now();
    ui.rendering = true;  // a focused editor removed by the re-render must not count as "done"
    try {
      if (!(itemsOnly && update && update(ui, rerender))) drawAll();
    } finally { ui.rendering = false; }
    if (key) {
      const again = /** @type {any} */ (keyed.isConnected ? keyed : el.querySelector(`[data-key="${CSS.escape(key)}"]`));
      if (again && again !== document.activeElement) {
        again.focus({ preventScroll: true });
        if (sel && "setSelectionRange" in again) { try { again.setSelectionRange(sel[0], sel[1]); } catch (e) { /* not text */ } }
      }
    }
    drawn = performance.now();
    el.dataset.renderMs = String(drawn - t0);
    el.dataset.renders = String(++renders);
    el.dataset.version = String(model.get("version"));
  };
  const schedule = () => { if (!scheduled) { scheduled = true; queueMicrotask(run); } };
  // Other people's notes are drawn at most every ITEM_PACE_MS: in a burst, one frame shows several
  // (each frame costs the page a few milliseconds whatever it shows); a single change is drawn at once.
  const scheduleItems = () => {
    if (scheduled || timer !== null) return;
    const wait = drawn + ITEM_PACE_MS - performance.now();
    if (wait <= 0) schedule();
    else timer = setTimeout(() => { timer = null; schedule(); }, wait);
  };
  const rerender = () => { whole = true; schedule(); };
  const follow = new Map(traits.map((t) => [t, () => { changed.add(t); if (ITEM_KEYS.includes(t)) scheduleItems(); else schedule(); }]));
  for (const [t, fn] of follow) model.on(`change:${t}`, fn);
  delegate(el);
  run();
  return () => {
    if (timer !== null) clearTimeout(timer);
    for (const [t, fn] of follow) model.off(`change:${t}`, fn);
  };
}

/** A text input that remembers its draft across re-renders and sends on Enter. */
function draftInput(ui, key, attrs, onSubmit) {
  const input = h("input", { type: "text", class: "kit-input", ...attrs, dataset: { key } });
  input.value = ui.drafts[key] || "";
  on(input, "input", (ev, node) => { ui.drafts[key] = node.value; });
  on(input, "keydown", (ev, node) => {
    if (ev.key === "Enter" && !ev.isComposing) {
      ev.preventDefault();
      if (node.value.trim()) { onSubmit(node.value); ui.drafts[key] = ""; node.value = ""; }
    } else if (ev.key === "Escape") { ui.drafts[key] = ""; node.value = ""; }
  });
  return input;
}

/** Inline editor: a textarea in place of a text; Enter saves, Shift+Enter breaks a line, Escape cancels. */
function inlineEditor(ui, key, value, onSave, rerender, multiline = true) {
  const draftKey = `draft:${key}`;
  const ed = h(multiline ? "textarea" : "input", { class: "kit-editor", dataset: { key: draftKey }, "aria-label": "edit" });
  ed.value = draftKey in ui.drafts ? ui.drafts[draftKey] : value;
  const finish = (save, node) => {
    if (ui.editing !== key) return;
    ui.editing = null;
    const text = node.value;
    const host = node.closest(".kit-widget");
    const refocus = document.activeElement === node;  // Enter / Escape: the keyboard stays on the note
    delete ui.drafts[draftKey];
    if (save && text !== value) onSave(text);
    rerender();
    if (refocus && host) queueMicrotask(() => host.querySelector(`[data-key="${CSS.escape(key)}"]`)?.focus());
  };
  on(ed, "input", (ev, node) => { ui.drafts[draftKey] = node.value; });
  on(ed, "keydown", (ev, node) => {
    ev.stopPropagation();
    if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) { ev.preventDefault(); finish(true, node); }
    else if (ev.key === "Escape") { ev.preventDefault(); finish(false, node); }
  });
  on(ed, "blur", (ev, node) => { if (!ui.rendering && node.isConnected) finish(true, node); });
  queueMicrotask(() => { if (document.activeElement !== ed && ed.isConnected) { ed.focus(); ed.select?.(); } });
  return ed;
}

/** Header shared by all canvases: title, intro, undo/redo, voting state, banners, error.
 * @param {WidgetModel} model
 * @param {Record<string, any>} ui
 * @param {() => void} rerender
 * @param {any[]} [extra] */
function header(model, ui, rerender, extra = []) {
  const L = model.get("labels");
  const c = model.get("controls") || {};
  const me = model.get("me") || {};
  const readonly = !!c.readonly;
  const tools = h("div", { class: "kit-tools" },
    h("button", { class: "kit-btn", type: "button", text: `↶ ${L.undo}`, title: `${L.undo} (Ctrl+Z)`, disabled: readonly,
      dataset: { key: "undo", action: "undo" }, onclick: () => send(model, "undo") }),
    h("button", { class: "kit-btn", type: "button", text: `↷ ${L.redo}`, title: L.redo, disabled: readonly,
      dataset: { key: "redo", action: "redo" }, onclick: () => send(model, "redo") }),
    c.vote_open ? h("span", { class: "kit-dots", role: "status", text: `● ${fmt(L.dots_left, { left: c.dots_left, budget: c.budget })}` }) : null,
    me.role === "facilitator" && c.private
      ? h("button", { class: "kit-btn", type: "button", text: L.reveal, dataset: { key: "reveal" }, onclick: () => send(model, "reveal") })
      : null,
    h("span", { class: "kit-me", text: [me.name, me.team].filter(Boolean).join(" · ") }),
  );
  const banners = h("div", { class: "kit-banners" },
    c.readonly ? h("div", { class: "kit-banner kit-banner-lock", role: "status", text: `🔒 ${L.locked_banner}` }) : null,
    c.private ? h("div", { class: "kit-banner kit-banner-private", role: "status", text: `🙈 ${L.private_banner}` }) : null,
    c.vote_open ? h("div", { class: "kit-banner kit-banner-vote", role: "status", text: `● ${L.voting_open}` }) : null,
  );
  const error = model.get("error");
  const errorBox = error && ui.errorHidden !== error
    ? h("div", { class: "kit-error", role: "alert" }, h("span", { class: "kit-error-text", text: error }),
        h("button", { class: "kit-btn kit-btn-small", type: "button", text: "×", title: L.dismiss, "aria-label": L.dismiss,
          onclick: () => { ui.errorHidden = error; rerender(); } }))
    : null;
  return h("header", { class: "kit-head" },
    h("div", { class: "kit-titlebar" }, h("h2", { class: "kit-title", text: model.get("title") }), tools),
    model.get("intro") ? h("p", { class: "kit-intro", text: model.get("intro") }) : null,
    ...extra, banners, errorBox,
    // screen readers hear other people's changes here (politely, after what they are reading)
    h("div", { class: "kit-sr", role: "status", "aria-live": "polite", dataset: { key: "live" }, text: ui.announce || "" }));
}

/** The widget's outer element: a labelled region in the labels' language (so `hyphens: auto` breaks words right).
 * @param {WidgetModel} model
 * @param {string} cls
 * @param {...any} children */
function rootEl(model, cls, ...children) {
  const L = model.get("labels");
  return h("div", { class: `kit-root ${cls}`, role: "region", "aria-label": model.get("title") || undefined, lang: L.lang }, ...children);
}

/** One line for the live region about notes other people added, changed or removed since the last render. */
function announce(ui, items, areaById, L) {
  const seen = new Map(items.map((i) => [i.id, i]));
  const before = ui.seen;
  ui.seen = seen;
  if (!before) return;
  const title = (id) => areaById.get(id)?.title || id;
  const said = [];
  for (const i of items) {
    const was = before.get(i.id);
    if (i.mine || was === i) continue;  // unchanged items stay the same objects (patches)
    if (was === undefined) said.push(fmt(L.live_added, { area: title(i.area), text: i.text.slice(0, 80) }));
    else if (was.area !== i.area || was.text !== i.text) said.push(fmt(L.live_changed, { area: title(i.area), text: i.text.slice(0, 80) }));
  }
  for (const [id, was] of before) {
    if (!seen.has(id) && !ui.removedByMe?.has(id)) said.push(fmt(L.live_removed, { area: title(was.area) }));
  }
  if (said.length) ui.announce = said.length > 3 ? fmt(L.live_many, { count: said.length }) : said.join(" ");
}

/** Colour names, so a colour never carries meaning alone: the nearest name by hue and lightness. */
/** What a colour means on this canvas (its declared label, e.g. a channel), else its name.
 * @param {WidgetModel} model @param {string} hex @param {Record<string, string>} L */
function colourLabel(model, hex, L) {
  return (model.get("color_labels") || {})[hex] || colourName(hex, L);
}

function colourName(hex, L) {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex || "");
  if (!m) return L.colour_none;
  const [r, g, b] = m.slice(1).map((x) => parseInt(x, 16) / 255);
  const max = Math.max(r, g, b), min = Math.min(r, g, b), d = max - min;
  if (d < 0.08) return max > 0.85 ? L.colour_white : L.colour_grey;
  let hue = max === r ? ((g - b) / d) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
  hue = (hue * 60 + 360) % 360;
  /** @type {[number, string][]} */
  const names = [[15, "red"], [40, "orange"], [70, "yellow"], [170, "green"], [250, "blue"], [300, "purple"], [345, "pink"], [360, "red"]];
  const found = names.find(([limit]) => hue < limit)[1];
  return L[`colour_${found === "red" && max > 0.9 && min > 0.75 ? "pink" : found}`];
}

/** Phone layout (container at most ~600 px): one area at a time, chosen here by its full name. */
function areaSwitcher(model, ui, areas, ctx) {
  const L = model.get("labels");
  const current = ui.currentArea && areas.some((a) => a.id === ui.currentArea) ? ui.currentArea : areas[0]?.id;
  ui.currentArea = current;
  const go = (id) => { ui.currentArea = id; ctx.rerender(); };
  return h("nav", { class: "kit-switcher", "aria-label": L.areas },
    ...areas.map((a) => h("button", {
      class: "kit-btn kit-switch", type: "button", "aria-current": a.id === current ? "true" : "false",
      dataset: { key: `switch:${a.id}`, area: a.id },
      onclick: () => go(a.id),
    }, a.title, h("span", { class: "kit-count", text: ` ${ctx.notesIn(a.id).length}` }))));
}

/** Index at which a dragged note lands: notes whose centre comes before the pointer, in reading order. */
function dropIndex(list, x, y, draggedId) {
  let index = 0;
  for (const n of list.querySelectorAll(":scope > .kit-note")) {
    if (n.dataset.id === String(draggedId)) continue;
    const r = n.getBoundingClientRect();
    const before = y > r.bottom || (y >= r.top && x > r.left + r.width / 2);
    if (before) index += 1;
  }
  return index;
}

const NOTE_TYPE = "application/x-workshop-note";

/** Make a zone (an area, a stage cell) accept dropped notes (HTML5 drag and drop) into its list. */
function dropZone(model, zone, areaId, readonly) {
  if (readonly) return;
  on(zone, "dragover", (ev, node) => {
    if (!ev.dataTransfer.types.includes(NOTE_TYPE)) return;
    ev.preventDefault();
    ev.dataTransfer.dropEffect = "move";
    node.classList.add("kit-drop");
  });
  on(zone, "dragleave", (ev, node) => { if (!node.contains(ev.relatedTarget)) node.classList.remove("kit-drop"); });
  on(zone, "drop", (ev, node) => {
    const id = Number(ev.dataTransfer.getData(NOTE_TYPE));
    node.classList.remove("kit-drop");
    if (!id) return;
    ev.preventDefault();
    ev.stopPropagation();
    const list = node.querySelector(".kit-notes") || node;
    send(model, "move", { id, area: areaId, index: dropIndex(list, ev.clientX, ev.clientY, id) });
  });
}

/** One sticky note with its controls. ctx: {model, ui, rerender, areas, byId, area} */
function noteEl(note, ctx) {
  const { model, ui, rerender, area } = ctx;
  const L = model.get("labels");
  const c = model.get("controls") || {};
  const f = model.get("features") || {};
  const scale = model.get("rank_scale") || { min: 1, max: 5 };
  const readonly = !!c.readonly;
  const editable = !readonly && note.editable !== false;  // a participant changes only their own notes
  const key = `note:${note.id}`;
  const linking = ui.linkSource !== null ? ctx.byId.get(ui.linkSource) : null;
  const linkTarget = linking && ctx.areaById.get(linking.area)?.fits === note.area;
  const classes = ["kit-note"];
  if (note.hidden) classes.push("kit-hidden");
  if (area.evidence && note.evidence && note.evidence.supports + note.evidence.contradicts === 0) classes.push("kit-no-evidence");
  if (ctx.fitTargets.has(note.area) && !note.addressed) classes.push("kit-unaddressed");
  if (linkTarget) classes.push("kit-link-target");
  if (linkTarget && linking.fit.includes(note.id)) classes.push("kit-linked");
  if (ui.linkSource === note.id) classes.push("kit-link-source");
  if (note.mine) classes.push("kit-mine");
  const el = h("article", {
    class: classes.join(" "), tabindex: 0, draggable: String(editable && ui.editing !== key),
    dataset: { id: note.id, key }, style: note.color ? { background: note.color } : undefined,
    "aria-label": [note.text.slice(0, 80), note.color ? colourLabel(model, note.color, L) : ""].filter(Boolean).join(" · "),
    "aria-roledescription": L.note,
  });

  // text or editor
  if (ui.editing === key && editable) {
    el.append(inlineEditor(ui, key, note.text, (text) => send(model, "edit", { id: note.id, text }), rerender));
  } else {
    el.append(h("div", { class: "kit-note-text", text: note.text }));
    on(el, "dblclick", (ev) => {
      if (!editable || ev.target.closest("button, select, input, textarea")) return;
      ui.editing = key; rerender();
    });
  }

  const meta = h("div", { class: "kit-note-meta" });
  if (f.rank && area.rank) {
    const pips = h("span", { class: "kit-rank", title: `${area.rank}: ${note.rank ?? "–"}` },
      h("span", { class: "kit-rank-label", text: area.rank }));
    for (let r = scale.min; r <= scale.max; r++) {
      pips.append(h("button", {
        class: `kit-pip${note.rank !== null && r <= note.rank ? " kit-pip-on" : ""}`, type: "button", disabled: !editable,
        "aria-label": `${area.rank} ${r}`, "aria-pressed": String(note.rank === r), dataset: { rank: r },
        onclick: (ev) => { ev.stopPropagation(); send(model, "rank", { id: note.id, rank: note.rank === r ? null : r }); },
      }));
    }
    meta.append(pips);
  }
  if (area.evidence && note.evidence) {
    const n = note.evidence.supports + note.evidence.contradicts;
    meta.append(n === 0
      ? h("span", { class: "kit-badge kit-badge-none", text: `⚠ ${L.no_evidence}` })
      : h("span", { class: "kit-badge kit-badge-evidence", title: fmt(L.evidence, note.evidence),
          text: `✔ ${note.evidence.supports}  ✘ ${note.evidence.contradicts}` }));
  }
  if (f.fit && area.fits) {
    meta.append(h("span", { class: "kit-badge kit-badge-fit", text: `⇄ ${fmt(L.linked_to, { count: note.fit.length })}` }));
  }
  if (f.vote && (note.votes > 0 || c.vote_open)) {
    const votes = h("span", { class: "kit-votes" }, h("span", { class: "kit-vote-count", text: `● ${note.votes}`, title: L.votes }));
    if (c.vote_open && !readonly) {
      votes.append(...[
        h("button", { class: "kit-btn kit-btn-small", type: "button", text: "+", title: L.vote, "aria-label": L.vote,
          dataset: { action: "vote" }, onclick: (ev) => { ev.stopPropagation(); send(model, "vote", { id: note.id, dots: 1 }); } }),
        note.my_votes > 0 ? h("button", { class: "kit-btn kit-btn-small", type: "button", text: "−", title: L.unvote, "aria-label": L.unvote,
          dataset: { action: "unvote" }, onclick: (ev) => { ev.stopPropagation(); send(model, "vote", { id: note.id, dots: -1 }); } }) : null,
      ].filter(Boolean));
    }
    meta.append(votes);
  }
  if (note.color) meta.append(h("span", { class: "kit-badge kit-badge-colour", text: colourLabel(model, note.color, L) }));
  if (note.hidden) meta.append(h("span", { class: "kit-badge kit-badge-hidden", text: `🙈 ${L.hidden}` }));
  if (note.team) meta.append(h("span", { class: "kit-badge kit-badge-team", text: note.team, title: note.team }));
  el.append(meta);

  if (editable) {
    const actions = h("div", { class: "kit-note-actions" });
    if (f.fit && area.fits) {
      actions.append(h("button", { class: "kit-btn kit-btn-small", type: "button", dataset: { action: "link" },
        text: ui.linkSource === note.id ? L.link_done : L.link_start,
        onclick: (ev) => { ev.stopPropagation(); ui.linkSource = ui.linkSource === note.id ? null : note.id; rerender(); } }));
    }
    if (f.color) {
      if (ui.openMenu === `color:${note.id}`) {
        const palette = h("span", { class: "kit-palette" });
        for (const color of ["", ...model.get("colors")]) {
          palette.append(h("button", { class: "kit-swatch", type: "button", style: { background: color || "#ffffff" },
            "aria-label": `${L.colour}: ${color ? colourLabel(model, color, L) : L.colour_none}`, title: color ? colourLabel(model, color, L) : L.colour_none,
            "aria-pressed": String((note.color || "") === color), dataset: { color },
            onclick: (ev) => { ev.stopPropagation(); ui.openMenu = null; send(model, "color", { id: note.id, color }); } }));
        }
        actions.append(palette);
      } else {
        actions.append(h("button", { class: "kit-btn kit-btn-small", type: "button", text: "🎨", title: L.colour, "aria-label": L.colour,
          dataset: { action: "color" }, onclick: (ev) => { ev.stopPropagation(); ui.openMenu = `color:${note.id}`; rerender(); } }));
      }
    }
    if (ui.openMenu === `move:${note.id}`) {
      const select = h("select", { class: "kit-move", "aria-label": L.move, dataset: { key: `move:${note.id}` } },
        h("option", { value: "", text: L.move }));
      for (const a of ctx.areas) if (a.id !== note.area) select.append(h("option", { value: a.id, text: a.title }));
      on(select, "change", (ev, node) => { ui.openMenu = null; if (node.value) send(model, "move", { id: note.id, area: node.value }); });
      on(select, "keydown", (ev) => { ev.stopPropagation(); if (ev.key === "Escape") { ui.openMenu = null; rerender(); } });
      queueMicrotask(() => select.focus());
      actions.append(select);
    } else {
      actions.append(h("button", { class: "kit-btn kit-btn-small", type: "button", text: "⇆", title: L.move, "aria-label": L.move,
        dataset: { action: "move" }, onclick: (ev) => { ev.stopPropagation(); ui.openMenu = `move:${note.id}`; rerender(); } }));
    }
    actions.append(h("button", { class: "kit-btn kit-btn-small", type: "button", text: "✎", title: L.edit, "aria-label": L.edit,
      dataset: { action: "edit" }, onclick: (ev) => { ev.stopPropagation(); ui.editing = key; rerender(); } }));
    actions.append(h("button", { class: "kit-btn kit-btn-small kit-btn-danger", type: "button", text: "🗑", title: L.delete, "aria-label": L.delete,
      dataset: { action: "delete" }, onclick: (ev, node) => { ev.stopPropagation(); removeNote(model, ui, note.id, node); } }));
    meta.append(actions);

    on(el, "dragstart", (ev) => {
      ev.dataTransfer.setData(NOTE_TYPE, String(note.id));
      ev.dataTransfer.setData("text/plain", note.text);
      ev.dataTransfer.effectAllowed = "move";
    });
  }
  if (!readonly) on(el, "keydown", (ev, node) => noteKeys(ev, node, note, { ...(ui.ctx || ctx), area, editable }));
  on(el, "click", () => {
    if (linkTarget && !readonly) {
      send(model, linking.fit.includes(note.id) ? "unlink" : "link", { source: linking.id, target: note.id });
    }
  });
  return el;
}

/** Delete a note; the live region then does not announce one's own deletion, and the keyboard
 *  focus moves to the note's list (so Ctrl+Z still reaches the widget). */
function removeNote(model, ui, id, node) {
  (ui.removedByMe = ui.removedByMe || new Set()).add(id);
  node?.closest(".kit-notes")?.focus();
  send(model, "delete", { id });
}

/** Keyboard alternative for everything the mouse does on a note. */
function noteKeys(ev, node, note, ctx) {
  if (ev.target !== node) return;
  const { model, ui, rerender, areas, area } = ctx;
  const idx = areas.findIndex((a) => a.id === note.area);
  const siblings = ctx.items.filter((i) => i.area === note.area);
  const pos = siblings.findIndex((i) => i.id === note.id);
  const linking = ui.linkSource !== null && ui.linkSource !== note.id ? ctx.byId.get(ui.linkSource) : null;
  if (linking && ctx.areaById.get(linking.area)?.fits === note.area && (ev.key === "Enter" || ev.key === " ")) {
    ev.preventDefault();  // while linking, Enter or Space on a pain or gain links it (or unlinks it)
    send(model, linking.fit.includes(note.id) ? "unlink" : "link", { source: linking.id, target: note.id });
    return;
  }
  if ((ev.key === "+" || ev.key === "-") && (model.get("controls") || {}).vote_open) {
    ev.preventDefault();
    send(model, "vote", { id: note.id, dots: ev.key === "+" ? 1 : -1 });
    return;
  }
  if (!ctx.editable) return;  // someone else's note: voting only
  if (ev.key === "Enter" || ev.key === "F2") { ev.preventDefault(); ui.editing = `note:${note.id}`; rerender(); }
  else if (ev.key === "Delete") { ev.preventDefault(); removeNote(model, ui, note.id, node); }
  else if (ev.key === "c" && (model.get("features") || {}).color) {
    ev.preventDefault();  // the next colour of the palette (after the last: none)
    const palette = ["", ...model.get("colors")];
    send(model, "color", { id: note.id, color: palette[(palette.indexOf(note.color || "") + 1) % palette.length] });
  }
  else if (ev.altKey && (ev.key === "ArrowLeft" || ev.key === "ArrowRight")) {
    ev.preventDefault();
    const next = areas[(idx + (ev.key === "ArrowRight" ? 1 : areas.length - 1)) % areas.length];
    send(model, "move", { id: note.id, area: next.id });
  } else if (ev.altKey && (ev.key === "ArrowUp" || ev.key === "ArrowDown")) {
    ev.preventDefault();
    const to = ev.key === "ArrowUp" ? Math.max(0, pos - 1) : pos + 1;
    send(model, "move", { id: note.id, area: note.area, index: to });
  } else if (/^[0-9]$/.test(ev.key) && area.rank && (model.get("features") || {}).rank) {
    ev.preventDefault();
    const r = Number(ev.key);
    send(model, "rank", { id: note.id, rank: r === 0 ? null : r });
  } else if (ev.key === "l" && area.fits) {
    ui.linkSource = ui.linkSource === note.id ? null : note.id; rerender();
  } else if (ev.key === "Escape" && ui.linkSource !== null) {
    ui.linkSource = null; rerender();
  }
}

/** One area: title, guiding question, its notes and an input to add one. */
function areaEl(area, notes, ctx) {
  const { model, ui } = ctx;
  const L = model.get("labels");
  const readonly = !!(model.get("controls") || {}).readonly;
  // a scrolling list must be reachable by keyboard (axe: scrollable-region-focusable), and says what it holds
  const listOf = (draw) => {
    const list = h("div", { class: "kit-notes", tabindex: 0, role: "group", "aria-label": fmt(L.notes_in, { area: area.title }),
      dataset: { key: `list:${area.id}`, scroll: `area:${area.id}` } });  // keyed: it keeps the focus across re-renders
    for (const note of notes) list.append(draw(note, { ...ctx, area }));
    return list;
  };
  // Nothing a note shows besides the note changed since the last render (see boardContext): the list on
  // the page stays and gets only what changed (patchList); else it is drawn in full.
  const busy = notes.some((n) => busyNote(ui, n.id));
  const last = ui.lists.get(area.id);
  ui.lists.set(area.id, { notes, busy });
  const build = () => listOf((note, c) => { ui.notes.set(note.id, { note, area, mine: busyNote(ui, note.id) }); return noteEl(note, c); });
  const list = last ? keep("div", `list:${area.id}`, build) : build();
  if (last && (busy || last.busy || !sameNotes(last.notes, notes))) {
    list._wkAfter = (old) => patchList(old, busy || last.busy ? null : last.notes, notes, { ...ctx, area });
  }
  const cov = (model.get("coverage") || {})[area.id];
  // The guiding question is shown while the area is empty, then kept as the heading's tooltip.
  const current = ui.currentArea === area.id ? " kit-current" : "";
  const section = h("section", { class: `kit-area kit-slot-${area.slot || "grid"}${current}`, dataset: { area: area.id }, "aria-label": area.title },
    h("div", { class: "kit-area-head" },
      h("h3", { class: "kit-area-title", title: area.question || undefined }, area.title, h("span", { class: "kit-count", text: ` ${notes.length}` })),
      area.rank ? h("span", { class: "kit-area-rank", text: `↕ ${area.rank}` }) : null,
      cov && cov.total ? h("span", { class: `kit-area-cov${cov.addressed < cov.total ? " kit-gap" : ""}`, text: `✔ ${cov.addressed}/${cov.total}` }) : null),
    area.question && (!notes.length || !ctx.compact) ? h("p", { class: "kit-question", text: area.question }) : null,
    list);
  dropZone(model, section, area.id, readonly);
  if (!readonly) {
    const key = `add:${area.id}`;
    const input = draftInput(ui, key, { placeholder: L.add_placeholder, "aria-label": `${area.title}: ${L.add_placeholder}` },
      (text) => send(model, "add", { area: area.id, text }));
    section.append(h("div", { class: "kit-add" }, input,
      h("button", { class: "kit-btn kit-btn-add", type: "button", text: "+", title: L.add, "aria-label": `${L.add}: ${area.title}`,
        onclick: (ev, node) => {
          const field = node.parentNode.querySelector("input");
          if (field.value.trim()) { send(model, "add", { area: area.id, text: field.value }); ui.drafts[key] = ""; field.value = ""; }
        } })));
  }
  return section;
}

/** Build the context a note needs once per render.
 * @param {WidgetModel} model
 * @param {Record<string, any>} ui
 * @param {() => void} rerender */
function boardContext(model, ui, rerender) {
  const areas = model.get("areas");
  const items = model.get("items");
  const areaById = new Map(areas.map((a) => [a.id, a]));
  announce(ui, items, areaById, model.get("labels"));
  const byId = new Map(items.map((i) => [i.id, i]));
  const inArea = new Map();
  for (const i of items) { if (!inArea.has(i.area)) inArea.set(i.area, []); inArea.get(i.area).push(i); }
  // Everything a note's element depends on besides the note itself: when none of it changed, a note
  // that did not change keeps its element (patchList), so an incoming change costs only what it changed.
  const epoch = noteEpoch(model, ui, byId);
  const same = !!ui.epoch && sameNotes(epoch, ui.epoch);
  ui.epoch = epoch;
  if (!same) { ui.notes = new Map(); ui.lists = new Map(); }
  const ctx = {
    model, ui, rerender, areas, items, areaById, byId,
    fitTargets: new Set(areas.filter((a) => a.fits).map((a) => a.fits)),
    notesIn: (id) => [...(inArea.get(id) || [])],
  };
  ui.ctx = ctx;  // handlers of kept notes read the current notes through it
  return ctx;
}

/** What every note's element shows besides the note (see boardContext). */
function noteEpoch(model, ui, byId) {
  return [model.get("areas"), model.get("controls"), model.get("labels"), model.get("features"), model.get("colors"),
    model.get("color_labels"), model.get("rank_scale"), ui.linkSource, ui.linkSource !== null ? byId.get(ui.linkSource) : null];
}

/** The same items, the same objects, in the same order. @param {any[]} a @param {any[]} b */
function sameNotes(a, b) {
  return a.length === b.length && a.every((n, i) => n === b[i]);
}

/** A note someone is working on here (its editor or one of its menus is open): always drawn again. */
function busyNote(ui, id) {
  return ui.editing === `note:${id}` || (ui.openMenu || "").endsWith(`:${id}`);
}

/** Make the page's list of an area show `notes`, keyed by note id: a note that did not change keeps its
 *  element untouched; a changed one is morphed in place (so its focus and an open editor stay); new ones
 *  are made, gone ones removed, and only what is out of order moves. With `before`, the notes the list
 *  shows now (one element each, in order), the notes both start and end with are not even looked at:
 *  an added note costs the same with 5 or 500 on the board.
 * @param {HTMLElement} list @param {any[] | null} before @param {any[]} notes @param {Record<string, any>} ctx */
function patchList(list, before, notes, ctx) {
  const { ui, area } = ctx;
  const shown = list.children;
  let start = 0, endOld = shown.length, endNew = notes.length;
  if (before && before.length === shown.length) {
    while (start < endOld && start < endNew && before[start] === notes[start]) start++;
    while (endOld > start && endNew > start && before[endOld - 1] === notes[endNew - 1]) { endOld--; endNew--; }
  }
  const onPage = new Map();
  for (let i = start; i < endOld; i++) onPage.set(shown[i].getAttribute("data-id"), shown[i]);
  let cursor = shown[start] || null;
  for (let i = start; i < endNew; i++) {
    const note = notes[i];
    let node = onPage.get(String(note.id));
    onPage.delete(String(note.id));
    const mine = busyNote(ui, note.id);
    const last = ui.notes.get(note.id);
    if (!node || !last || last.note !== note || last.area !== area || mine || last.mine) {
      ui.notes.set(note.id, { note, area, mine });
      const fresh = noteEl(note, ctx);
      if (node) morph(node, fresh); else node = fresh;
    }
    if (node === cursor) cursor = cursor.nextElementSibling;
    else list.insertBefore(node, cursor);
  }
  for (const gone of onPage.values()) gone.remove();
}

/** An incoming change of the notes only (liveRender's `update`): in each area whose notes changed, the
 *  list gets only the changed notes (patchList) and the count follows; the switcher's counts and the
 *  live region too. The header, the other areas and everything else on the page stay untouched. An
 *  area that becomes empty or gets its first note is drawn again (`drawArea`, its question may show).
 *  False (draw it all) when something every note shows changed, while linking, or when a part is not
 *  on the page.
 * @param {WidgetModel} model
 * @param {Record<string, any>} ui
 * @param {HTMLElement} host  the widget's element
 * @param {() => void} rerender
 * @param {(area: any, notes: any[], ctx: any) => Element} drawArea  the widget's section of an area */
function patchAreas(model, ui, host, rerender, drawArea) {
  if (!ui.epoch || ui.linkSource !== null || !sameNotes(noteEpoch(model, ui, null), ui.epoch)) return false;
  if (!ui.parts || !ui.parts.live.isConnected) {
    const sections = new Map([...host.querySelectorAll(".kit-area[data-area]")].map((s) => [s.getAttribute("data-area"), s]));
    ui.parts = { sections, switcher: host.querySelector(".kit-switcher"), live: host.querySelector('[data-key="live"]') };
  }
  const { sections, switcher, live } = ui.parts;
  if (!switcher || !live) return false;
  const ctx = boardContext(model, ui, rerender);
  const changed = [];
  for (const area of ctx.areas) {
    const notes = ctx.notesIn(area.id);
    const last = ui.lists.get(area.id);
    if (last && sameNotes(last.notes, notes)) continue;
    const section = sections.get(area.id);
    const list = section && section.isConnected && section.querySelector(".kit-notes");
    if (!last || !list) return false;
    changed.push({ section, list, area, notes, last });
  }
  for (const { section, list, area, notes, last } of changed) {
    if (!notes.length !== !last.notes.length) { morph(section, drawArea(area, notes, ctx)); continue; }
    ui.lists.set(area.id, { notes, busy: last.busy || notes.some((n) => busyNote(ui, n.id)) });
    patchList(list, last.busy ? null : last.notes, notes, { ...ctx, area });
    section.querySelector(".kit-count").textContent = ` ${notes.length}`;
  }
  for (const { area, notes } of changed) {
    const count = switcher.querySelector(`[data-area="${CSS.escape(area.id)}"] .kit-count`);
    if (count) count.textContent = ` ${notes.length}`;
  }
  if (live.textContent !== (ui.announce || "")) live.textContent = ui.announce || "";
  return true;
}

/** Ctrl+Z / Ctrl+Shift+Z anywhere in the widget (but not while typing). Keys and mouse presses in the
 *  widget never reach JupyterLab's notebook handlers ("1" would turn the cell into a heading).
 * @param {WidgetModel} model
 * @param {HTMLElement} root */
function globalKeys(model, root) {
  root.dataset.lmSuppressShortcuts = "true";
  root.addEventListener("keydown", (ev) => ev.stopPropagation());
  // JupyterLab's notebook turns a mouse press inside a cell into cell selection and blocks the
  // browser's own drag and drop; the canvas handles its presses itself.
  root.addEventListener("mousedown", (ev) => ev.stopPropagation());
  root.addEventListener("keydown", (ev) => {
    const typing = ["INPUT", "TEXTAREA", "SELECT"].includes(/** @type {Element} */ (ev.target).tagName);
    if (typing || !(ev.ctrlKey || ev.metaKey) || ev.key.toLowerCase() !== "z") return;
    if ((model.get("controls") || {}).readonly) return;
    ev.preventDefault();
    ev.stopPropagation();
    send(model, ev.shiftKey ? "redo" : "undo");
  });
}

/** The connection banner every widget shares. While the store reconnects to its server, the trait
 *  `connection` holds the one line to show: it appears above the widget (as CSS generated text, so
 *  it is never parsed as HTML) and what the widget shows is dimmed and inert, as it may be stale.
 *  Every widget's file exports `withConnection({ render })`.
 * @param {WidgetModel} model
 * @param {HTMLElement} root
 * @returns {() => void} */
function followConnection(model, root) {
  const show = () => {
    const text = model.get("connection") || "";
    root.classList.toggle("kit-reconnecting", text !== "");
    root.setAttribute("aria-busy", String(text !== ""));
    if (text) root.dataset.connection = text;
    else delete root.dataset.connection;
  };
  model.on("change:connection", show);
  show();
  return () => model.off("change:connection", show);
}

/** @param {Widget} widget @returns {Widget} */
function withConnection(widget) {
  return {
    ...widget,
    render(ctx) {
      const model = patchedModel(ctx.model);
      const stop = followConnection(model, ctx.el);
      const done = widget.render({ ...ctx, model });
      return () => {
        stop(); model.close();
        Promise.resolve(done).then((f) => { if (typeof f === "function") f(); });
      };
    },
  };
}

/**
 * The one canvas widget (board, vpc, touchpoints): keyboard shortcuts on the widget, a live re-render
 * of `draw` whenever one of `traits` changes, the connection banner. With `drawArea` (an area's
 * section, as `draw` makes it), a change of the notes only redraws the areas it touched (patchAreas).
 * @param {string[]} traits
 * @param {(model: WidgetModel, ui: Record<string, any>, rerender: () => void) => Element} draw
 * @param {(area: any, notes: any[], ctx: any) => Element} [drawArea]
 * @returns {Widget}
 */
function canvasWidget(traits, draw, drawArea) {
  return withConnection({
    render({ model, el }) {
      el.classList.add("kit-widget");
      globalKeys(model, el);
      const update = drawArea && ((ui, again) => patchAreas(model, ui, el, again, drawArea));
      return liveRender(model, el, traits, (ui, again) => draw(model, ui, again), update);
    },
  });
}

// ----------------------------------------------------------------------------- item lists by patches
// A canvas's item lists (items, ideas) never travel whole with every change: Python sends a patch
// (kit/sessions/delta.py) as an anywidget custom message, {t: "patch", base, version, items: {put,
// remove, order?}} or {t: "patch", full: true, version, items: [...]}, in JupyterLab and in the room
// alike. A patch whose base is not the version held means one was missed: the widget asks {t: "resync"}
// and gets its lists whole. Unchanged items stay the same objects, so a note that did not change keeps
// its element (patchList).

const ITEM_KEYS = ["items", "ideas"];

/** Python's sort of an item list (delta.sort_key): by pos (the canvas slot), then id; without pos by id. */
function slotOf(item) { return item.pos === undefined || item.pos === null ? item.id : item.pos; }
function before(a, b) { return slotOf(a) - slotOf(b) || a.id - b.id; }
function isSorted(items) {
  for (let n = 1; n < items.length; n++) if (before(items[n - 1], items[n]) > 0) return false;
  return true;
}

/** `items` with a delta applied: the twin of kit.sessions.delta.apply_items. */
function applyItems(items, delta) {
  const gone = new Set(delta.remove || []);
  const put = new Map((delta.put || []).map((i) => [i.id, i]));
  const sorted = isSorted(items);
  const out = [];
  for (const item of items) {
    if (gone.has(item.id)) continue;
    const changed = put.get(item.id);
    out.push(changed || item);
    put.delete(item.id);
  }
  out.push(...put.values());
  if (delta.order) {
    const at = new Map(delta.order.map((id, n) => [id, n]));
    return out.sort((a, b) => (at.get(a.id) ?? at.size) - (at.get(b.id) ?? at.size));
  }
  if ((delta.put || []).length && sorted && !isSorted(out)) out.sort(before);  // stable, as Python's sort
  return out;
}

/** The model a widget draws from: the host's model, with the item lists kept from patches. */
function patchedModel(model) {
  /** @type {Record<string, any[]>} */
  const lists = {};
  let version = null;
  const listeners = new Map();
  const emit = (event) => { for (const fn of [...(listeners.get(event) || [])]) fn(); };
  const receive = (msg) => {
    if (!msg || msg.t !== "patch") return;
    if (!msg.full && msg.base !== version) { model.send({ t: "resync" }); return; }
    const changed = ITEM_KEYS.filter((key) => key in msg);
    for (const key of changed) lists[key] = msg.full ? msg[key] : applyItems(lists[key] || [], msg[key]);
    version = msg.version;
    for (const key of changed) emit(`change:${key}`);
    if (changed.length) emit("change");
  };
  model.on("msg:custom", receive);
  if (version === null && model.get("canvas_id")) model.send({ t: "resync" });  // nothing held yet
  return {
    get: (key) => (key in lists ? lists[key] : ITEM_KEYS.includes(key) ? [] : model.get(key)),
    set: (key, value) => model.set(key, value),
    save_changes: () => model.save_changes(),
    send: (content) => model.send(content),
    on(event, fn) {
      model.on(event, fn);
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event).add(fn);
    },
    off(event, fn) {
      model.off(event, fn);
      if (listeners.has(event)) listeners.get(event).delete(fn);
    },
    close() { model.off("msg:custom", receive); },
    version: () => version,
  };
}
