// @ts-check
// The participant page of the room (kit.room): join, then the widget of the current canvas.
// The widget is the very ES module JupyterLab runs (kit/widgets/*.js); `Model` gives it anywidget's
// model contract (get, set, on, off, save_changes, send) over this page's one WebSocket.
// User text reaches the page only through textContent. While the socket is down the page says
// "reconnecting" and greys the canvas: what it shows may be out of date.
// The room serves this file behind kit/widgets/common.js (kit.room.server): `h` and the types
// (WidgetModel, Widget) are the widgets' own.

const config = JSON.parse(document.getElementById("kit-room-config").textContent);
const TOKEN_KEY = `kit-room-token:${config.ws}`;
// The token leaves the address bar and the history at once; this page keeps it for reconnects
// (and the room's cookie lets a reload in).
const token = new URLSearchParams(location.search).get("token") || sessionStorage.getItem(TOKEN_KEY) || "";
if (token) sessionStorage.setItem(TOKEN_KEY, token);
if (location.search.includes("token=")) history.replaceState(null, "", location.pathname);
const main = document.querySelector(".kit-participant");
// {name, team, secret}: the participant secret the room gave at the first join; a rejoin needs it.
const JOIN_KEY = `kit-room-join:${config.ws}`;
// The board this page chose among those a step offers (tabs): chosen again after a reconnect or a reload.
const PICK_KEY = `kit-room-pick:${config.ws}`;
let texts = {};
let teams = [];
let socket = null;
let backoff = 250;
let joined = JSON.parse(sessionStorage.getItem(JOIN_KEY) || "null");
let view = null;   // {header, body, who, step, timer, tabs, refused}
let widget = null; // {canvas, module, model, el, cleanup}
let timer = { running: false };
let clockOffset = 0;
let ended = false; // the facilitator closed the room: no reconnecting to a link that no longer opens it

/** anywidget's model contract over the room's WebSocket: state keys, and custom messages both ways
 *  (`send`, and "msg:custom" for the item patches the room sends inside its state frames).
 * @implements {WidgetModel} */
class Model {
  constructor(gen) { this.gen = gen; this.state = {}; this.dirty = {}; this.listeners = new Map(); this.inbox = []; }
  get(key) { return this.state[key]; }
  set(key, value) { this.state[key] = value; this.dirty[key] = value; this.emit(`change:${key}`); }
  on(event, fn) {
    if (!this.listeners.has(event)) this.listeners.set(event, new Set());
    this.listeners.get(event).add(fn);
    if (event === "msg:custom") { const waiting = this.inbox; this.inbox = []; for (const msg of waiting) fn(msg); }
  }
  off(event, fn) {
    if (!event) this.listeners.clear();
    else if (!fn) this.listeners.delete(event);
    else if (this.listeners.has(event)) this.listeners.get(event).delete(fn);
  }
  emit(event, ...args) { for (const fn of [...(this.listeners.get(event) || [])]) fn(...args); }
  save_changes() {
    const values = this.dirty;
    this.dirty = {};
    if (!transmit({ t: "set", gen: this.gen, values })) this.update({ error: texts.offline_refused });
  }
  send(content) { transmit({ t: "msg", gen: this.gen, content }); }
  /** Values from the room: set them all, then tell the widget (one re-render per batch); the item patch
   *  as a custom message (kept until the widget listens: the first one comes before it is drawn). */
  update(values) {
    const { patch, ...rest } = values;
    Object.assign(this.state, rest);
    for (const key of Object.keys(rest)) this.emit(`change:${key}`);
    if (patch) {
      const msg = { t: "patch", ...patch };
      if (this.listeners.get("msg:custom")?.size) this.emit("msg:custom", msg);
      else this.inbox = msg.full ? [msg] : [...this.inbox, msg];
    }
    this.emit("change");
  }
}

function transmit(message) {
  if (!socket || socket.readyState !== WebSocket.OPEN) return false;
  socket.send(JSON.stringify(message));
  return true;
}

function connect() {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  socket = new WebSocket(`${scheme}://${location.host}${config.ws}?token=${encodeURIComponent(token)}`);
  socket.onopen = () => { backoff = 250; };
  socket.onmessage = (ev) => receive(JSON.parse(ev.data));
  socket.onclose = () => {
    socket = null;
    document.body.classList.add(ended ? "kit-ended" : "kit-stale");
    if (ended) return;
    setTimeout(connect, backoff);
    backoff = Math.min(backoff * 2, 5000);
  };
}
// A phone waking up or a network coming back: try at once instead of waiting out the backoff.
for (const event of ["online", "focus", "pageshow"]) {
  window.addEventListener(event, () => { if (!socket && !ended) { backoff = 250; connect(); } });
}

function receive(msg) {
  if (msg.t === "hello") {
    texts = msg.texts; teams = msg.teams;
    document.documentElement.lang = msg.language;
    if (joined) transmit({ t: "join", name: joined.name, team: joined.team, secret: joined.secret || null });
    else showJoin();
  } else if (msg.t === "joined") {
    joined = { name: msg.name, team: msg.team, secret: msg.secret };
    sessionStorage.setItem(JOIN_KEY, JSON.stringify(joined));
    showRoom(msg.who);
  } else if (msg.t === "room") {
    showStep(msg);
  } else if (msg.t === "state") {
    if (widget && widget.model.gen === msg.gen) widget.model.update(msg.values);
    if (view) document.body.classList.remove("kit-stale");
  } else if (msg.t === "refused") {
    ended = ended || msg.ended === true;
    if (msg.ended && !view) main.replaceChildren(h("p", { class: "kit-room-refused", text: msg.message }));
    if (msg.field === "join" && document.querySelector(".kit-join-box")) {
      document.querySelector(".kit-message").textContent = msg.message;
      joined = null;
      sessionStorage.removeItem(JOIN_KEY);
    } else if (view) view.refused.textContent = msg.message;
  }
}

function showJoin() {
  document.body.classList.remove("kit-stale");
  const name = h("input");
  name.type = "text"; name.placeholder = texts.name_placeholder; name.maxLength = 60; name.autocomplete = "name";
  let team;
  if (teams.length) {
    team = h("select");
    for (const t of teams) { const o = h("option", { text: t }); o.value = t; team.append(o); }
  } else {
    team = h("input"); team.type = "text"; team.placeholder = texts.team_placeholder; team.maxLength = 60;
  }
  const nameLabel = h("label", { class: "kit-name", text: texts.name }); nameLabel.append(name);
  const teamLabel = h("label", { class: "kit-team", text: texts.team }); teamLabel.append(team);
  const button = h("button", { class: "kit-join", text: texts.join });
  const message = h("p", { class: "kit-message" });
  const form = h("form", { class: "kit-join-box" });
  form.append(h("h1", { text: texts.join_title }), h("p", { text: texts.join_intro }), nameLabel, teamLabel, button, message);
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    joined = { name: name.value, team: team.value, secret: null };
    if (!transmit({ t: "join", ...joined })) message.textContent = texts.offline_refused;
  });
  main.replaceChildren(form);
  view = null;
}

function showRoom(who) {
  if (!view) {
    view = { who: h("span", { class: "kit-who" }), step: h("span", { class: "kit-step" }), timer: h("span", { class: "kit-timer" }),
      body: h("div", { class: "kit-body" }), refused: h("p", { class: "kit-room-refused" }),
      tabs: h("nav", { class: "kit-tabs", "aria-label": texts.choose_canvas }) };
    const header = h("header", { class: "kit-header" });
    header.append(view.who, view.step, view.timer);
    main.replaceChildren(h("div", { class: "kit-reconnecting", text: texts.reconnecting }), header, view.tabs, view.refused,
      view.body);
  }
  view.who.textContent = who;
  view.refused.textContent = "";
}

async function showStep(msg) {
  if (!view) return;
  view.step.textContent = msg.step;
  const choices = msg.choices || [];
  const wanted = sessionStorage.getItem(PICK_KEY);
  if (wanted && wanted !== msg.canvas && choices.some((c) => c.id === wanted)) transmit({ t: "pick", canvas: wanted });
  showTabs(choices, msg.canvas);
  timer = msg.timer;
  clockOffset = (msg.server_now || Date.now() / 1000) - Date.now() / 1000;
  tick();
  if (widget && widget.canvas === msg.canvas && widget.module === msg.module) {
    widget.model.gen = msg.gen; // a reconnect: the same widget follows the new session
    return;
  }
  if (widget) { if (typeof widget.cleanup === "function") widget.cleanup(); widget = null; }
  if (!msg.canvas || !msg.module) {
    view.body.replaceChildren(h("p", { class: "kit-no-canvas", text: msg.notice }));
    document.body.classList.remove("kit-stale");
    return;
  }
  const el = h("div", { class: "kit-widget-host" });
  const current = widget = { canvas: msg.canvas, module: msg.module, model: new Model(msg.gen), el, cleanup: null };
  view.body.replaceChildren(el);
  loadStyle(msg.module);
  const mod = await import(`${config.static}widgets/${msg.module}.js`);
  if (widget !== current) return; // the room moved on while the module loaded
  await waitForState(current.model);
  if (widget !== current) return;
  current.cleanup = await mod.default.render({ model: current.model, el });
}

/** The canvases the step offers, if several: one tab each; the room answers a pick with the canvas. */
function showTabs(choices, current) {
  view.tabs.replaceChildren(...choices.map((choice) => {
    const tab = h("button", { class: "kit-tab", type: "button", text: choice.title, dataset: { canvas: choice.id },
      "aria-pressed": String(choice.id === current) });
    tab.addEventListener("click", () => {
      sessionStorage.setItem(PICK_KEY, choice.id);
      if (!transmit({ t: "pick", canvas: choice.id })) view.refused.textContent = texts.offline_refused;
    });
    return tab;
  }));
}

/** The first state frame of a widget arrives right after the room frame; render once it is here. */
function waitForState(model) {
  if (model.get("layout") !== undefined) return Promise.resolve();
  return new Promise((resolve) => {
    const ready = () => { model.off("change", ready); resolve(); };
    model.on("change", ready);
  });
}

function loadStyle(module) {
  const href = `${config.static}widgets/${module}.css`;
  if (document.querySelector(`link[href="${CSS.escape(href)}"]`)) return;
  const link = h("link"); link.rel = "stylesheet"; link.href = href;
  document.head.append(link);
}

function tick() {
  if (!view) return;
  let text = "";
  if (timer.running && timer.ends_at) {
    const left = Math.round(timer.ends_at - (Date.now() / 1000 + clockOffset));
    const label = timer.label ? `${timer.label} · ` : "";
    const mm = String(Math.floor(Math.max(left, 0) / 60)).padStart(2, "0");
    const ss = String(Math.max(left, 0) % 60).padStart(2, "0");
    text = label + (left <= 0 ? texts.timer_over : texts.timer_running.replace("{time}", `${mm}:${ss}`));
  }
  if (view.timer.textContent !== text) view.timer.textContent = text;
}
setInterval(tick, 1000);
connect();
