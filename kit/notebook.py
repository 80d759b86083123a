"""Small helpers the notebook cells call, so the notebooks stay a script without logic.

Each helper returns something Jupyter displays: a step header, a table, a figure, a widget
or a one-line message, always in the workshop language and always escaped (user text is
shown literally, never as HTML). The workshop comes from ``$KIT_WORKSHOP`` (``make lab``
sets it) unless a path is given; ``setup`` creates it when it does not exist yet, so every
notebook can be run again without adding anything twice.
"""
from __future__ import annotations

import html
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from . import access, agenda, i18n
from .errors import NotFound, UsageError, WorkshopError, one_line
from .store import is_url
from .workshop import Workshop, new
from .workshop import open as open_file

if TYPE_CHECKING:
    import pandas
    from matplotlib.figure import Figure

ENV = "KIT_WORKSHOP"
_CSS = Path(__file__).with_name("notebook.css")


def _style() -> str:
    return f"<style>{_CSS.read_text(encoding='utf-8')}</style>"


def workshop_path(path: str | os.PathLike[str] | None = None) -> Path | str:
    """``path``, else ``$KIT_WORKSHOP``; a clear message if neither is set. A ``postgresql://``
    URL stays text (kit.store)."""
    chosen = path or os.environ.get(ENV)
    if not chosen:
        raise UsageError("notebooks.no_workshop")
    return str(chosen) if is_url(chosen) else Path(chosen).expanduser()


def show_errors(language: str | None) -> None:
    """From now on IPython shows a WorkshopError as one red line in ``language`` instead of a traceback.

    Before a workshop is open the language is unknown (``None``): the line is in German and English.
    Outside IPython (a script, the CLI) this does nothing. The cell still counts as failed.
    """
    get_ipython = getattr(sys.modules.get("IPython"), "get_ipython", None)
    shell = get_ipython() if get_ipython else None
    if shell is None:
        return

    def one_red_line(shell: Any, etype: type[BaseException], value: BaseException, tb: TracebackType | None,
                     tb_offset: int | None = None) -> None:
        line = one_line(value, language) if isinstance(value, WorkshopError) else str(value)
        # _showtraceback is what a kernel overrides to send an error output: red, and the cell counts as failed
        shell._showtraceback(etype, value, [f"\x1b[31m{line}\x1b[0m"])

    shell.set_custom_exc((WorkshopError,), one_red_line)


def open_workshop(path: str | os.PathLike[str] | None = None) -> Workshop:
    """Open the workshop the notebooks work on (``$KIT_WORKSHOP`` unless ``path`` is given)."""
    show_errors(None)
    ws = open_file(workshop_path(path))
    show_errors(ws.language)
    return ws


def setup(path: str | os.PathLike[str] | None = None, *, title: str, language: str = "de",
          **fields: Any) -> Workshop:
    """Open the workshop, or create it with ``title``/``language``/``fields`` if the file is new.

    An existing workshop is opened as it is (nothing is overwritten), so the cell can run again."""
    show_errors(language if language in i18n.LANGUAGES else None)
    target = workshop_path(path)
    if isinstance(target, str):  # a workshop on a server
        try:
            ws = open_file(target)
        except NotFound:
            ws = new(target, title=title, language=language, **fields)
    elif target.exists():
        ws = open_file(target)
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        ws = new(target, title=title, language=language, **fields)
    show_errors(ws.language)
    return ws


def add_missing(ws: Workshop, field: str, values: list[str]) -> Html:
    """Add ``values`` to a list field of the workshop (teams, personas) without duplicates;
    shows the resulting list (escaped), not a Python list."""
    current = list(ws.info[field])
    merged = current + [v for v in values if v not in current]
    if merged != current:
        ws.set(**{field: merged})
    return lines(merged) if merged else say(ws, "none")


# --------------------------------------------------------------------------- display
@dataclass(frozen=True)
class Html:
    """A piece of escaped HTML for a cell's output (also readable as plain text)."""

    markup: str
    text: str

    def _repr_html_(self) -> str:
        return _style() + self.markup

    def __repr__(self) -> str:
        return self.text


def header(ws: Workshop, step_id: str, go: bool = True) -> Html:
    """The opening of a notebook: step, title, timebox, purpose, instructions, outcome.

    With ``go`` the facilitator's notebook also moves the room's agenda to this step."""
    step = agenda.step(step_id, ws.language)
    if go and not access.is_participant(ws.role):
        agenda.go_to(ws, step_id)
    t, e = i18n.texts("notebooks", ws.language), html.escape
    number = (t["header_step"].format(number=step.number, total=len(agenda.STEP_IDS) - 1)
              if step.id in agenda.STEP_IDS else _follow_up_label(ws))
    timebox = t["header_timebox"].format(minutes=agenda.timebox(ws, step_id))
    sections = [(t["header_purpose"], step.purpose), (t["header_instructions"], step.instructions),
                (t["header_outcome"], step.outcome)]
    markup = (f'<section class="kit-step" data-step="{e(step.id)}"><div class="kit-step-meta">'
              f"<span>{e(number)}</span><span class=\"kit-step-timebox\">⏱ {e(timebox)}</span></div>"
              f"<h2>{e(step.title)}</h2>"
              + "".join(f'<div class="kit-step-part"><h4>{e(h)}</h4><p>{e(body)}</p></div>' for h, body in sections)
              + "</section>")
    text = "\n".join([f"{number} · {timebox}", step.title, *(f"{h}: {body}" for h, body in sections)])
    return Html(markup, text)


def _follow_up_label(ws: Workshop) -> str:
    """What the follow-up step's header says instead of a step number: which kind of follow-up today's is."""
    from . import tracking

    today = tracking.current_followup(ws)
    if today is None:
        return i18n.t("notebooks.header_follow_up", ws.language)
    kind = i18n.t(f"notebooks.followup_{today['kind']}", ws.language)
    return i18n.t("notebooks.header_follow_up_kind", ws.language, kind=kind)


def say(ws: Workshop, key: str, **values: Any) -> Html:
    """One line of text from kit/texts/notebooks.yaml, filled in and escaped."""
    return line(i18n.t(f"notebooks.{key}", ws.language, **values))


def line(text: str, *, error: bool = False) -> Html:
    """One line of text already in the workshop's language, escaped (red when it is a refusal)."""
    css = "kit-say kit-error" if error else "kit-say"
    return Html(f'<p class="{css}">{html.escape(text)}</p>', text)


def lines(items: list[str]) -> Html:
    """A short list of messages (e.g. cadence problems), escaped."""
    markup = "<ul class=\"kit-lines\">" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>"
    return Html(markup, "\n".join(items))


def table(ws: Workshop, frame: pandas.DataFrame) -> Html:
    """A table that wraps long text and escapes every cell; a friendly line when empty."""
    if frame.empty:
        return say(ws, "empty_table")
    frame = frame.copy()
    for name in frame.columns:  # yes/no reads as a tick in any language, not as "True"/"False"
        if frame[name].map(lambda v: isinstance(v, bool)).all():
            frame[name] = frame[name].map({True: "✓", False: "–"})
    cells = frame.copy()
    for name in cells.columns:
        cells[name] = cells[name].map(_cell)
    cells.columns = [_cell(str(c)) for c in frame.columns]  # escaped here: to_html(escape=False) below
    markup = cells.to_html(index=False, escape=False, na_rep="", classes="kit-table", border=0)
    return Html(markup, frame.to_string(index=False))


_LONG_WORD = re.compile(r"(\S{30,})")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?)?$")


def _cell(value: Any) -> Any:
    """A table cell's text escaped, with a break opportunity (<wbr>) every 20 characters of a
    very long word, so short words stay whole and a 100,000-character word still wraps."""
    if not isinstance(value, str):
        return value
    if _DATE.match(value):  # "2026-10-19" must not break at its hyphens
        return f'<span class="kit-nowrap">{html.escape(value)}</span>'
    parts = _LONG_WORD.split(value)
    return "".join("<wbr>".join(html.escape(part[i:i + 20]) for i in range(0, len(part), 20)) if n % 2
                   else html.escape(part) for n, part in enumerate(parts))


def records(ws: Workshop, collection: str, columns: list[str]) -> Html:
    """The chosen columns of a collection with headers and choice values in the workshop language."""
    import pandas as pd

    from .synthesis import column
    from .widgets.form import choice_label

    records_of = getattr(ws, collection)
    kind = records_of.kind
    types = {c: kind.field(c).type for c in columns if c in {f.name for f in kind.fields}}

    def shown(name: str, value: Any) -> Any:
        if value is None or value == "":
            return value
        if types.get(name) == "choice":
            return choice_label(kind.name, name, value, ws.language)
        if types.get(name) == "datetime":
            return str(value).replace("T", " ")
        return value

    rows = [{c: shown(c, record.get(c)) for c in columns} for record in records_of]
    frame = pd.DataFrame(rows, columns=columns).rename(columns={c: column(c, ws.language) for c in columns})
    return table(ws, frame)


def figure(fig: Figure) -> Any:
    """Show a kit.render figure as a PNG (works without pyplot and in exported notebooks)."""
    from IPython.display import Image

    from .render import to_png

    return Image(data=to_png(fig, dpi=110))


# --------------------------------------------------------------------------- widgets
def canvas(ws: Workshop, canvas_id: str) -> Any:
    """The live canvas widget (Value Proposition Canvas, touchpoint map or a board)."""
    from . import widgets

    return widgets.show(ws, canvas_id)


def timer(ws: Workshop, step_id: str | None = None) -> Any:
    """The countdown, preset to the step's timebox and labelled with its title."""
    from .widgets.timer import TimerWidget

    step = agenda.step(step_id, ws.language) if step_id else None
    return TimerWidget(ws, minutes=agenda.timebox(ws, step_id) if step_id else 5, label=step.title if step else "")


def agenda_view(ws: Workshop) -> Any:
    from .widgets.agenda import AgendaWidget

    return AgendaWidget(ws)


def interviews(ws: Workshop) -> Any:
    from .widgets.interview import InterviewWidget

    return InterviewWidget(ws)


def form(ws: Workshop, collection: str, fields: list[str]) -> Any:
    """An add/edit form for any collection (test cards, learning cards, actions, KPIs...)."""
    from .widgets.form import RecordForm

    return RecordForm(ws, collection, fields)


# --------------------------------------------------------------------------- room controls
# Each acts on the one board it names (a step may offer several: 08's learnings and feedback boards) and says so.
def _on_board(ws: Workshop, canvas_id: str, key: str, **values: Any) -> Html:
    return say(ws, key, board=ws.canvas(canvas_id).title, **values)


def private(ws: Workshop, canvas_id: str) -> Html:
    """Private brainstorming on: new notes stay hidden from the others until revealed."""
    from . import facilitation

    facilitation.set_private(ws, canvas_id, True)
    return _on_board(ws, canvas_id, "private_on")


def reveal(ws: Workshop, canvas_id: str) -> Html:
    from . import facilitation

    return _on_board(ws, canvas_id, "revealed", count=facilitation.reveal(ws, canvas_id))


def lock(ws: Workshop, canvas_id: str, locked: bool = True) -> Html:
    """Make a canvas read-only for participants (``locked=False``: open it again)."""
    from . import facilitation

    facilitation.lock(ws, canvas_id, locked)
    return _on_board(ws, canvas_id, "locked_on" if locked else "locked_off")


def open_vote(ws: Workshop, canvas_id: str, budget: int) -> Html:
    """Dot voting on a canvas with ``budget`` dots per person."""
    from . import facilitation

    facilitation.open_vote(ws, canvas_id, budget)
    return _on_board(ws, canvas_id, "vote_open", budget=budget)


def close_vote(ws: Workshop, canvas_id: str) -> Html:
    from . import facilitation

    facilitation.close_vote(ws, canvas_id)
    return _on_board(ws, canvas_id, "vote_closed")


# --------------------------------------------------------------------------- the room on a hub
def open_room(ws: Workshop) -> Html:
    """Open the participant room (hub): a fresh link, shown here as a link and a QR code for the projector."""
    import segno

    from .room import open_room as open_link

    link = open_link(ws)
    text = i18n.t("notebooks.room_opened", ws.language)
    qr = segno.make(link, error="m").svg_inline(scale=4)
    markup = (f'<p class="kit-say">{html.escape(text)}<br><a href="{html.escape(link)}" target="_blank" '
              f'rel="noopener noreferrer">{html.escape(link)}</a></p>{qr}')
    return Html(markup, f"{text}\n{link}")


def close_room(ws: Workshop) -> Html:
    from .room import close_room as close_link

    close_link(ws)
    return say(ws, "room_closed")


# --------------------------------------------------------------------------- summaries
def setup_summary(ws: Workshop) -> Html:
    from .widgets.form import choice_label

    info, none = ws.info, i18n.t("notebooks.none", ws.language)
    language = choice_label("workshop", "language", info["language"], ws.language)
    return say(ws, "setup_summary", lang=language, teams=", ".join(info["teams"]) or none,
               personas=", ".join(info["personas"]) or none)


def status_summary(ws: Workshop) -> Html:
    from . import synthesis

    return say(ws, "status_line", **synthesis.status_counts(ws))


def apply_statuses(ws: Workshop) -> Html:
    """Store every hypothesis's status by the documented rule and say how many have which."""
    from . import synthesis

    synthesis.apply_statuses(ws)
    return status_summary(ws)


def select_top(ws: Workshop, n: int) -> Html:
    """Choose the ``n`` most-voted hypotheses for testing and say which (H1, H4, ...)."""
    from . import synthesis

    chosen = synthesis.select_top(ws, n)
    return say(ws, "top_selected", count=len(chosen), ids=", ".join(f"H{i}" for i in chosen) or "–")


def draft_learning_cards(ws: Workshop) -> Html:
    """Draft a learning card for every decided hypothesis that has none, and say how many."""
    from . import synthesis

    return say(ws, "cards_drafted", count=len(synthesis.draft_learning_cards(ws)))


def fit_summary(ws: Workshop) -> Html:
    from . import synthesis

    titles = {a["id"]: a["title"] for a in ws.canvas(synthesis.CANVAS).areas}
    return lines([i18n.t("notebooks.fit_line", ws.language, area=titles.get(area, area), **numbers)
                  for area, numbers in synthesis.fit_summary(ws).items()])


def touchpoint_summary(ws: Workshop) -> Html:
    from . import plan

    summary = plan.touchpoint_summary(ws)
    return say(ws, "touchpoint_line", touchpoints=summary["touchpoints"], pre_contact=summary["pre_contact"],
               moments_of_truth=summary["moments_of_truth"])


def evidence_curve(ws: Workshop) -> Html:
    """The evidence curve in numbers: per persona and stage n, mean, spread (SD), the team's
    estimate and the flag, where interviews scored something (kit/journey.py has the rules)."""
    import pandas as pd

    from . import journey

    t = i18n.texts("journey", ws.language)
    columns = [t["col_persona"], t["col_stage"], "n", t["col_mean"], t["col_spread"], t["col_team"], t["col_flag"]]
    rows = [[persona, stage["title"], p.n, *(None if v is None else round(v, 2) for v in (p.mean, p.spread, p.team)),
             t[f"flag_{p.flag}"] if p.flag else ""] for persona, stage, p in journey.evidence_rows(ws)]
    if not rows:
        return line(t["table_empty"])
    return table(ws, pd.DataFrame(rows, columns=columns))


def import_notes(ws: Workshop, path: str | os.PathLike[str] | None, into: str, mapping: str | None = None,
                 commit: bool = False, area: str | None = None) -> Html:
    """``kit import`` in a cell: the dry-run preview of a board export, or with ``commit`` the
    import itself (one undo takes it all back). ``mapping`` is --map: "text=Content,area=Frame"
    ("kind=" leaves a column out); ``area`` is --area: every row into that area."""
    from . import importing

    t = i18n.texts("journey", ws.language)
    if not path:
        return line(t["import_no_file"])
    try:
        plan = importing.plan(ws, path, into, importing.parse_map(mapping), area)
        if commit:
            return line(t["import_done"].format(n=len(plan.commit())))
    except WorkshopError as exc:  # one line in the workshop's language, nothing stored
        return line(exc.render(ws.language), error=True)
    import pandas as pd

    problems = [i18n.t("journey.import_problem", ws.language, line=number, reason=reason)
                for number, reason in plan.problem_lines(ws.language)]
    head = lines([plan.summary(ws.language), *filter(None, [plan.area_line(ws.language)]), *problems])
    preview = table(ws, pd.DataFrame(plan.preview()))
    return Html(head.markup + preview.markup, f"{head.text}\n{preview.text}")


def budget_summary(ws: Workshop) -> Html:
    from . import plan

    return say(ws, "budget_line", total=i18n.format_money(plan.budget_total(ws), ws.language))


def cadence_check(ws: Workshop) -> Html:
    from . import plan

    problems = plan.check(ws)
    return lines(problems) if problems else say(ws, "plan_on_track")


def snapshot(ws: Workshop, label: str = "") -> Html:
    """Keep the current state as a named version ("<label> <date time>"), to compare later."""
    import datetime as dt

    stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S")
    base = f"{label or ws.canvas('value_proposition').title} {stamp}"
    taken, name, n = {s["name"] for s in ws.snapshots()}, base, 1
    while name in taken:
        n += 1
        name = f"{base} ({n})"
    return say(ws, "snapshot_taken", name=ws.snapshot(name))


def compare_with_earlier(ws: Workshop) -> Html:
    """What changed between the two newest snapshots (or a note if there is only one)."""
    from . import synthesis

    names = [s["name"] for s in ws.snapshots()]
    if len(names) < 2:
        return say(ws, "no_snapshot")
    return table(ws, synthesis.compare_summary(ws, names[-2], names[-1]))


def output_dir(ws: Workshop) -> Path:
    """Where exports go: a folder next to the workshop file, or for a workshop on a server a
    folder in the current directory named after its key (``kundenservice-export``)."""
    folder = ws.store.folder / f"{Path(ws.store.name).stem}-export"
    folder.mkdir(exist_ok=True)
    return folder


def export_calendar(ws: Workshop) -> Html:
    """The follow-up cadence as an .ics file next to the workshop."""
    from . import plan

    path = plan.to_ics(ws, output_dir(ws) / "follow-ups.ics")
    return say(ws, "calendar_done", path=str(path), count=len(ws.followups))


def export_guide(ws: Workshop, minutes: int = 30) -> Html:
    """The printable interview guide as HTML next to the workshop."""
    from . import guide

    path = guide.build(ws, minutes).save(output_dir(ws) / "interview-guide.html")
    return say(ws, "saved_file", path=str(path))


def export_report(ws: Workshop, pdf: bool = True) -> Html:
    """The client report (kit.report) as HTML and, unless ``pdf=False``, PDF.

    Written by ``kit export`` in a process of its own: there a forked helper builds the chapters
    (a kernel runs threads, so it must not fork) and nbconvert's imports stay out of the kernel;
    what went wrong is the command's one line."""
    import subprocess

    folder = output_dir(ws)
    written = {"html": folder / "report.html", **({"pdf": folder / "report.pdf"} if pdf else {})}
    command = [sys.executable, "-m", "kit", "export", ws.location, "--quiet",
               *(a for kind, path in written.items() for a in (f"--{kind}", str(path)))]
    done = subprocess.run(command, capture_output=True, text=True, check=False,
                          stdin=subprocess.DEVNULL)
    if done.returncode != 0:
        problem = (done.stderr.strip().splitlines() or [f"kit export: {done.returncode}"])[-1]
        return line(problem.removeprefix("kit: error: "), error=True)
    return say(ws, "report_done", paths=", ".join(str(p) for p in written.values()))


# --------------------------------------------------------------------------- 08: follow-up sessions
def hold_followup(ws: Workshop) -> Html:
    """Mark the follow-up this session is as held (now) and say which one it is; safe to run again."""
    import datetime as dt

    from . import tracking

    found = tracking.current_followup(ws)
    if found is None:
        return say(ws, "followup_none", days=tracking.SESSION_WINDOW_DAYS)
    if not found["held_at"] or found["held_at"][:10] != dt.date.today().isoformat():
        found = tracking.mark_held(ws, found["id"], when=dt.datetime.now())
    kind = i18n.t(f"notebooks.followup_{found['kind']}", ws.language)
    return say(ws, "followup_held", kind=kind, date=i18n.format_datetime(found["date"], ws.language),
               n=len(tracking.held(ws)))


def followup_form(ws: Workshop) -> Any:
    """Who attended (names stay out of reports unless asked for), minutes and what we learned, for the
    follow-up this session is."""
    from . import tracking
    from .widgets.form import RecordForm

    form = RecordForm(ws, "followups", ["held_at", "attendees", "minutes", "learned"])
    found = tracking.current_followup(ws)
    if found is not None:
        form.select(found["id"])
    return form


def todo_review(ws: Workshop) -> Html:
    """Every action, late ones first, with what was spent on the done ones."""
    import pandas as pd

    from . import plan, synthesis, tracking

    lang = ws.language
    rows = [{"what": a["what"], "who": a["who"], "due": a["due"] or "", "budget": i18n.format_money(a["budget"], lang),
             "status": i18n.t("tracking.late", lang) if a["late"] else i18n.t(f"notebooks.action_{a['status']}", lang)}
            for a in tracking.actions_late_first(ws)]
    frame = pd.DataFrame(rows, columns=["what", "who", "due", "budget", "status"])
    shown = table(ws, frame.rename(columns={c: synthesis.column(c, lang) for c in frame.columns}))
    spent = say(ws, "budget_used", used=i18n.format_money(tracking.budget_used(ws), lang),
                total=i18n.format_money(plan.budget_total(ws), lang))
    return Html(shown.markup + spent.markup, f"{shown.text}\n{spent.text}")


def measurement_form(ws: Workshop) -> Any:
    """Record one KPI value (which KPI, date, value, note)."""
    from .widgets.followup import MeasurementForm

    return MeasurementForm(ws)


def kpi_trends(ws: Workshop) -> Html:
    """Each KPI against its baseline and target, on or off track since the last follow-up held before today
    (the rule is in kit/tracking.py), with its trend chart."""
    import base64
    import datetime as dt

    import pandas as pd

    from . import render, tracking

    lang, since = ws.language, tracking.last_review(ws, before=dt.date.today())
    rows = tracking.kpi_rows(ws, since)
    frame = pd.DataFrame([{"criterion": r["criterion"], "baseline": r["baseline_value"],
                           "latest": r["latest"]["value"] if r["latest"] else None, "target": r["target_value"],
                           "status": i18n.t(f"report.kpi_{r['status']}", lang)} for r in rows],
                         columns=["criterion", "baseline", "latest", "target", "status"])
    shown = table(ws, frame.rename(columns={c: i18n.t(f"tracking.col_{c}", lang) for c in frame.columns}))
    charts = "".join(
        '<img class="kit-kpi-chart" alt="{}" src="data:image/png;base64,{}">'.format(
            html.escape(r["criterion"], quote=True),
            base64.b64encode(render.to_png(render.kpi_trend(r, r["status"], lang), dpi=80)).decode())
        for r in rows)
    return Html(shown.markup + f'<div class="kit-kpi-charts">{charts}</div>', shown.text)


def feedback_form(ws: Workshop) -> Any:
    """Record what a customer said about the chosen idea."""
    from .widgets.followup import FeedbackForm

    return FeedbackForm(ws)


def feedback_from_board(ws: Workshop) -> Html:
    """Take what the teams put up on the room's feedback board into the chosen idea's log (once per note)."""
    from . import plan, tracking

    idea = plan.chosen_idea(ws)
    if idea is None:
        return line(i18n.t("report.no_chosen_ideas", ws.language))
    return say(ws, "feedback_from_board", n=tracking.feedback_from_board(ws, idea["id"]),
               board=ws.canvas(tracking.FEEDBACK_BOARD).title)


def feedback_log(ws: Workshop) -> Html:
    """The chosen idea's feedback log, oldest first, and whether the staff who had it heard each entry."""
    import pandas as pd

    from . import plan

    idea, lang = plan.chosen_idea(ws), ws.language
    if idea is None:
        return line(i18n.t("report.no_chosen_ideas", lang))
    frame = pd.DataFrame([{**e, "shared_with_staff": e["shared_with_staff"] or i18n.t("report.not_yet", lang)}
                          for e in idea["feedback_log"]], columns=["date", "channel", "said", "score",
                                                                   "shared_with_staff"])
    return table(ws, frame.rename(columns={c: i18n.t(f"tracking.col_{c}", lang) for c in frame.columns}))


def share_feedback(ws: Workshop) -> Html:
    """Record that the staff who had the idea heard every entry not shared yet (today)."""
    from . import plan, tracking

    idea = plan.chosen_idea(ws)
    if idea is None:
        return line(i18n.t("report.no_chosen_ideas", ws.language))
    return say(ws, "feedback_shared", n=tracking.share_feedback(ws, idea["id"]))


def new_touchpoints(ws: Workshop) -> Html:
    """The touchpoints added since the workshop ended (step by step, as the method asks)."""
    import pandas as pd

    from . import plan, synthesis, tracking

    added = tracking.added_touchpoints(ws)
    rows = [{"stage": r["stage"], "name": r["name"], "channel": r["channel"], "owner": r["owner"]}
            for r in plan.touchpoint_rows(ws) if r["id"] in added]
    frame = pd.DataFrame(rows, columns=["stage", "name", "channel", "owner"])
    return table(ws, frame.rename(columns={c: synthesis.column(c, ws.language) for c in frame.columns}))


def workshop_end(ws: Workshop) -> Html:
    """Keep the state at the end of the workshop (once), so follow-ups can show what changed since."""
    from . import tracking

    name = tracking.workshop_end(ws)
    if name is None:
        name = ws.snapshot(tracking.WORKSHOP_END)
    return say(ws, "workshop_end_kept", name=name)


def since_workshop(ws: Workshop) -> Html:
    """What changed on the value proposition canvas and the touchpoint map since the workshop ended:
    notes added, removed and changed, fit coverage then and now, the evidence emotion curve then and now."""
    import pandas as pd

    from . import tracking

    lang = ws.language
    changed = tracking.since_workshop(ws)
    if changed is None:
        return line(i18n.t("report.no_workshop_end", lang))
    items = []
    for c in changed["canvases"].values():
        items += [f"{c['title']} · {i18n.t('report.added', lang)}: {text}" for text in c["added"]]
        items += [f"{c['title']} · {i18n.t('report.removed', lang)}: {text}" for text in c["removed"]]
        items += [f"{c['title']} · {i18n.t('report.changed', lang)}: {new}" for _, new in c["changed"]]
    notes = lines(items) if items else line(i18n.t("report.unchanged", lang))
    areas = {a["id"]: a["title"] for a in ws.canvas("value_proposition").areas}
    fit = pd.DataFrame([[areas.get(a, a), "{} / {}".format(*f["then"]), "{} / {}".format(*f["now"])]
                        for a, f in changed["fit"].items()],
                       columns=[i18n.t(f"report.{k}", lang) for k in ("fit_area", "then", "now")])
    curve = pd.DataFrame([[persona, stage, None if then is None else round(then, 1),
                           None if now is None else round(now, 1)]
                          for persona, c in changed["curve"].items()
                          for stage, then, now in zip(changed["stages"], c["then"], c["now"], strict=True)
                          if then != now],
                         columns=[i18n.t(f"report.{k}", lang) for k in ("persona", "stage", "curve_then", "curve_now")])
    same = line(i18n.t("report.curve_unchanged", lang))
    parts = [notes, table(ws, fit), table(ws, curve) if not curve.empty else same]
    return Html("".join(p.markup for p in parts), "\n".join(p.text for p in parts))


def export_review(ws: Workshop, pdf: bool = True) -> Html:
    """The status review for management (kit.report, ``review=True``) as HTML and, unless ``pdf=False``, PDF."""
    from . import report

    folder = output_dir(ws)
    written = report.export(ws, pdf=folder / "status-review.pdf" if pdf else None, html=folder / "status-review.html",
                            progress=False, review=True)
    return say(ws, "report_done", paths=", ".join(str(p) for p in written.values()))


__all__ = [
    "add_missing",
    "agenda_view",
    "apply_statuses",
    "budget_summary",
    "cadence_check",
    "canvas",
    "close_vote",
    "compare_with_earlier",
    "draft_learning_cards",
    "evidence_curve",
    "export_calendar",
    "export_guide",
    "export_report",
    "export_review",
    "feedback_form",
    "feedback_log",
    "figure",
    "fit_summary",
    "followup_form",
    "form",
    "header",
    "hold_followup",
    "import_notes",
    "interviews",
    "kpi_trends",
    "line",
    "lines",
    "lock",
    "measurement_form",
    "new_touchpoints",
    "open_vote",
    "open_workshop",
    "output_dir",
    "private",
    "records",
    "reveal",
    "say",
    "select_top",
    "setup",
    "setup_summary",
    "share_feedback",
    "since_workshop",
    "snapshot",
    "status_summary",
    "table",
    "timer",
    "todo_review",
    "touchpoint_summary",
    "workshop_end",
    "workshop_path",
]
