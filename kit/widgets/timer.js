// @ts-check
// Countdown timer view. Traits only: reads ends_at/server_now/label/running/texts,
// writes `request` (send, from common.js). User text goes in with textContent only.

function format(seconds) {
  const s = Math.max(0, Math.ceil(seconds));
  const hours = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  const two = (n) => String(n).padStart(2, "0");
  return hours ? `${hours}:${two(m)}:${two(r)}` : `${two(m)}:${two(r)}`;
}

let audio = null;
function unlockAudio() {
  // A browser allows sound only after a click in the page: create/resume the context then.
  const Ctx = window.AudioContext || /** @type {any} */ (window).webkitAudioContext;  // older Safari
  if (!Ctx) return null;
  if (!audio) audio = new Ctx();
  if (audio.state === "suspended") audio.resume();
  return audio;
}

function beep(ctx) {
  // true when the tones were scheduled on a running context (false: the browser still blocks sound)
  if (!ctx) return false;
  const t0 = ctx.currentTime;
  for (let i = 0; i < 3; i++) {
    const osc = ctx.createOscillator(), gain = ctx.createGain();
    osc.type = "sine";
    osc.frequency.value = 880;
    gain.gain.setValueAtTime(0.0001, t0 + i * 0.35);
    gain.gain.exponentialRampToValueAtTime(0.3, t0 + i * 0.35 + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, t0 + i * 0.35 + 0.25);
    osc.connect(gain).connect(ctx.destination);
    osc.start(t0 + i * 0.35);
    osc.stop(t0 + i * 0.35 + 0.3);
  }
  return ctx.state !== "suspended";
}

/** @param {RenderContext} ctx */
function render({ model, el: root }) {
  const texts = () => model.get("texts") || {};
  const box = el("div", "kit-timer");
  const label = el("span", "kit-timer-label");
  const digits = el("span", "kit-timer-digits", "00:00");
  digits.setAttribute("role", "timer");
  digits.setAttribute("aria-live", "off");
  const controls = el("span", "kit-timer-controls");
  const minutes = el("input");
  minutes.type = "number"; minutes.min = "1"; minutes.max = "1440"; minutes.step = "1";
  minutes.className = "kit-timer-minutes";
  const start = el("button", "kit-timer-start");
  const stop = el("button", "kit-timer-stop");
  const sound = el("button", "kit-timer-sound");
  const message = el("span", "kit-timer-message");
  const hint = el("span", "kit-timer-hint");
  controls.append(minutes, start, stop, sound);
  box.append(label, digits, controls, message, hint);
  root.append(box);

  let offset = 0; // server clock minus browser clock, in seconds
  let beepedFor = null;
  function syncTexts() {
    const t = texts();
    minutes.title = t.timer_minutes || "";
    minutes.setAttribute("aria-label", t.timer_minutes || "");
    start.textContent = t.timer_start || "Start";
    stop.textContent = t.timer_stop || "Stop";
    sound.textContent = `🔔 ${t.timer_sound || ""}`;
    hint.textContent = t.timer_sound_hint || "";
  }

  function syncState() {
    offset = model.get("server_now") - Date.now() / 1000;
    if (document.activeElement !== minutes) minutes.value = String(Math.round(model.get("default_minutes")));
    message.textContent = model.get("error") || "";
    tick();
  }

  function tick() {
    const t = texts();
    const endsAt = model.get("ends_at");
    const running = model.get("running") && endsAt > 0;
    if (!running) {
      box.dataset.state = "idle";
      digits.textContent = format(model.get("default_minutes") * 60);
      label.textContent = model.get("default_label") || t.timer_idle || "";
      return;
    }
    const left = endsAt - (Date.now() / 1000 + offset);
    digits.textContent = format(left);
    if (left <= 0) {
      box.dataset.state = "done";
      label.textContent = `${model.get("label") ? model.get("label") + " – " : ""}${t.timer_done || ""}`;
      if (beepedFor !== endsAt) {
        beepedFor = endsAt;
        // the timer may have been started elsewhere (another kernel, the agenda): create the
        // sound now; the browser allows it once the facilitator has clicked anywhere in the page
        box.dataset.beeped = beep(audio || unlockAudio()) ? "yes" : "blocked";
      }
    } else {
      box.dataset.state = left <= 60 ? "warning" : "running";
      label.textContent = model.get("label") || "";
      if (beepedFor === endsAt) beepedFor = null;
    }
  }

  start.addEventListener("click", () => {
    unlockAudio();
    const value = Number(minutes.value);
    send(model, "start", { minutes: value, label: model.get("default_label") || "" });
  });
  stop.addEventListener("click", () => send(model, "stop"));
  sound.addEventListener("click", () => { beep(unlockAudio()); });
  box.addEventListener("pointerdown", () => { unlockAudio(); });

  syncTexts();
  syncState();
  const timer = setInterval(tick, 250);
  const onState = () => syncState();
  model.on("change:texts", syncTexts);
  for (const name of ["ends_at", "running", "label", "server_now", "default_minutes", "default_label", "error"]) {
    model.on(`change:${name}`, onState);
  }
  return () => {
    clearInterval(timer);
    model.off("change:texts", syncTexts);
    for (const name of ["ends_at", "running", "label", "server_now", "default_minutes", "default_label", "error"]) {
      model.off(`change:${name}`, onState);
    }
  };
}

export default withConnection({ render });
