"""The interview guide, generated from the hypotheses chosen for testing.

Connection-first format (METHODS.md section 3): a purpose instead of a sales goal, a stated
time frame of 20-40 minutes, a one-item agenda, light opening questions, then one open
question per hypothesis with what to listen for. It prints from the browser (HTML with a
print stylesheet) or goes anywhere as Markdown; every piece of user text is escaped, so a
statement like ``<b>`` or ``*50 %*`` prints literally.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import i18n
from .synthesis import label

if TYPE_CHECKING:
    from .workshop import Workshop

MINUTES = (20, 40)
OPENING_QUESTIONS = 3
_CSS = Path(__file__).with_name("guide.css")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


@dataclass(frozen=True)
class Question:
    """One question per hypothesis, with the answers that would confirm or refute it."""

    hypothesis: str  # "H3"
    kind: str
    statement: str
    question: str
    confirm_if: str
    refute_if: str


@dataclass(frozen=True)
class Guide:
    language: str
    title: str
    purpose: str
    minutes: int
    agenda_item: str
    formats: list[str]
    opening: list[str]
    questions: list[Question] = field(default_factory=list)
    closing: str = ""

    def labels(self) -> dict[str, str]:
        return i18n.texts("notebooks", self.language)

    # ------------------------------------------------------------------ Markdown
    def to_markdown(self) -> str:
        """Markdown with every user text escaped (prints literally in any renderer)."""
        t, md = self.labels(), escape_markdown
        lines = [f"# {md(self.title)}", "", f"**{t['guide_purpose']}:** {md(self.purpose)}", "",
                 f"**{t['guide_time']}:** {t['guide_minutes'].format(minutes=self.minutes)}", "",
                 f"**{t['guide_agenda']}:** {md(self.agenda_item)}", "",
                 f"**{t['guide_formats']}:** {md(', '.join(self.formats))}", "",
                 f"## {t['guide_opening']}", ""]
        lines += [f"{n}. {md(q)}" for n, q in enumerate(self.opening, 1)]
        lines += ["", f"## {t['guide_questions']}", ""]
        if not self.questions:
            lines.append(md(t["guide_none_chosen"]))
        for q in self.questions:
            lines += [f"### {md(q.hypothesis)}: {md(q.question)}", "",
                      f"*{t['guide_because']}:* {md(q.statement)}", ""]
            if q.confirm_if:
                lines.append(f"- {t['guide_confirm_if']}: {md(q.confirm_if)}")
            if q.refute_if:
                lines.append(f"- {t['guide_refute_if']}: {md(q.refute_if)}")
            lines.append(f"- {t['guide_notes']}: ____________________")
            lines.append("")
        lines += [f"## {t['guide_closing']}", "", md(self.closing), ""]
        return "\n".join(lines)

    # ------------------------------------------------------------------ HTML
    def to_html(self, standalone: bool = True) -> str:
        """HTML (escaped); ``standalone`` adds <html> and the print stylesheet."""
        t, e = self.labels(), html.escape
        parts = [f'<article class="kit-guide" lang="{e(self.language)}">', f"<h1>{e(self.title)}</h1>",
                 '<dl class="kit-guide-frame">',
                 f"<dt>{e(t['guide_purpose'])}</dt><dd>{e(self.purpose)}</dd>",
                 f"<dt>{e(t['guide_time'])}</dt><dd>{e(t['guide_minutes'].format(minutes=self.minutes))}</dd>",
                 f"<dt>{e(t['guide_agenda'])}</dt><dd>{e(self.agenda_item)}</dd>",
                 f"<dt>{e(t['guide_formats'])}</dt><dd>{e(', '.join(self.formats))}</dd>", "</dl>",
                 f"<h2>{e(t['guide_opening'])}</h2>", "<ol>",
                 *(f"<li>{e(q)}</li>" for q in self.opening), "</ol>",
                 f"<h2>{e(t['guide_questions'])}</h2>"]
        if not self.questions:
            parts.append(f"<p>{e(t['guide_none_chosen'])}</p>")
        for q in self.questions:
            parts += ['<section class="kit-guide-question">',
                      f"<h3><span class=\"kit-guide-handle\">{e(q.hypothesis)}</span> {e(q.question)}</h3>",
                      f"<p class=\"kit-guide-because\">{e(t['guide_because'])}: {e(q.statement)}</p>", "<ul>"]
            if q.confirm_if:
                parts.append(f"<li>{e(t['guide_confirm_if'])}: {e(q.confirm_if)}</li>")
            if q.refute_if:
                parts.append(f"<li>{e(t['guide_refute_if'])}: {e(q.refute_if)}</li>")
            parts += ["</ul>", f'<div class="kit-guide-notes">{e(t["guide_notes"])}</div>', "</section>"]
        parts += [f"<h2>{e(t['guide_closing'])}</h2>", f"<p>{e(self.closing)}</p>", "</article>"]
        body = "\n".join(parts)
        if not standalone:
            return body
        css = _CSS.read_text(encoding="utf-8")
        return (f'<!DOCTYPE html>\n<html lang="{e(self.language)}"><head><meta charset="utf-8">'
                f"<title>{e(self.title)}</title><style>{css}</style></head><body>{body}</body></html>\n")

    def _repr_html_(self) -> str:
        css = _CSS.read_text(encoding="utf-8")
        return f"<style>{css}</style>{self.to_html(standalone=False)}"

    def save(self, path: str | Path) -> Path:
        """Write the guide as .html (printable) or .md, chosen by the file ending."""
        target = Path(path)
        text = self.to_markdown() if target.suffix.lower() in (".md", ".markdown") else self.to_html()
        target.write_text(text, encoding="utf-8")
        return target


def escape_markdown(text: str) -> str:
    """Backslash Markdown syntax and HTML-escape ``<``/``&`` so text renders literally."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))
    return escaped.replace("\r\n", "\n").replace("\n", "  \n")


def chosen(ws: Workshop) -> list[dict[str, Any]]:
    """The hypotheses selected for testing, most votes first."""
    return sorted((h for h in ws.hypotheses if h["selected"]), key=lambda h: (-sum(h["votes"].values()), h["id"]))


def question_for(hypothesis: dict[str, Any], language: str) -> str:
    """The team's own test question, or an open, story-inviting question for the hypothesis kind."""
    if hypothesis["test_question"].strip():
        return str(hypothesis["test_question"])
    return i18n.t(f"notebooks.guide_default_{hypothesis['kind']}", language)


def build(ws: Workshop, minutes: int = 30, hypothesis_ids: list[int] | None = None) -> Guide:
    """The guide for the chosen hypotheses (or the given ids) in the workshop language."""
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not MINUTES[0] <= minutes <= MINUTES[1]:
        raise ValueError(f"minutes must be {MINUTES[0]}..{MINUTES[1]} (a connection-first conversation), "
                         f"got {minutes!r}")
    lang, info = ws.language, ws.info
    picked = chosen(ws) if hypothesis_ids is None else [ws.hypotheses[i] for i in hypothesis_ids]
    questions = [Question(label(h), i18n.t(f"notebooks.kind_{h['kind']}", lang), h["statement"],
                          question_for(h, lang), h["confirm_if"], h["refute_if"]) for h in picked]
    return Guide(language=lang,
                 title=i18n.t("notebooks.guide_title", lang, title=info["title"]),
                 purpose=info["purpose"].strip() or i18n.t("notebooks.guide_default_purpose", lang),
                 minutes=minutes,
                 agenda_item=i18n.t("notebooks.guide_agenda_item", lang),
                 formats=[i18n.t("notebooks.format_virtual_cafe", lang), i18n.t("notebooks.format_walk_and_talk", lang),
                          i18n.t("notebooks.format_phone", lang), i18n.t("notebooks.format_video", lang)],
                 opening=[i18n.t(f"notebooks.guide_opening_{n}", lang) for n in range(1, OPENING_QUESTIONS + 1)],
                 questions=questions,
                 closing=i18n.t("notebooks.guide_closing_text", lang))


__all__ = ["Guide", "Question", "build", "chosen", "question_for", "escape_markdown", "MINUTES"]
