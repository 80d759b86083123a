// @ts-check
// Agenda view. Traits only: reads steps/current/texts/can_control, writes `request` (send, from common.js).

/** @param {RenderContext} ctx */
function render({ model, el: root }) {
  const box = el("div", "kit-agenda");
  root.append(box);

  function draw() {
    const t = model.get("texts") || {};
    const steps = model.get("steps") || [];
    const control = model.get("can_control");
    box.replaceChildren();
    const head = el("div", "kit-agenda-head");
    head.append(el("h3", "", t.agenda_title || "Agenda"),
                el("span", "kit-agenda-total", fmt(t.agenda_total, { minutes: model.get("total_minutes") })));
    box.append(head);
    if (!model.get("current")) box.append(el("div", "kit-agenda-status", t.agenda_not_started || ""));
    const list = el("ol");
    for (const step of steps) {
      if (step.follow_up && !list.querySelector(".kit-agenda-after")) {
        list.append(el("li", "kit-agenda-after", t.agenda_after_workshop || ""));
      }
      const row = el("li");
      row.dataset.state = step.state;
      row.dataset.step = step.id;
      if (step.follow_up) row.classList.add("kit-agenda-follow-up");
      row.append(el("span", "kit-agenda-number", String(step.number).padStart(2, "0")),
                 el("span", "kit-agenda-title", step.title),
                 el("span", "kit-agenda-minutes", fmt(t.agenda_minutes, { minutes: step.minutes })),
                 el("span", "kit-agenda-state", t[`agenda_${step.state}`] || step.state));
      const actions = el("span", "kit-agenda-actions");
      if (control) {
        if (step.state === "current") {
          const timebox = el("button", "kit-agenda-timebox", `⏱ ${t.agenda_timebox || ""}`);
          timebox.addEventListener("click", () => send(model, "timebox", { step: step.id }));
          actions.append(timebox);
        } else {
          const go = el("button", "kit-agenda-go", t.agenda_go || "Go");
          go.addEventListener("click", () => send(model, "go", { step: step.id }));
          actions.append(go);
        }
      }
      row.append(actions);
      list.append(row);
    }
    box.append(list);
    const error = model.get("error");
    if (error) box.append(el("div", "kit-agenda-error", error));
  }

  draw();
  const names = ["steps", "current", "texts", "can_control", "error", "total_minutes"];
  for (const name of names) model.on(`change:${name}`, draw);
  return () => { for (const name of names) model.off(`change:${name}`, draw); };
}

export default withConnection({ render });
