"""Impact figures made readable: a translated text, a PNG chart, a CSV export.

All three take the :class:`storage.stats.ImpactFigures` of an area (aggregates only: they
hold no name and no contact, so nothing here can leak one). ``area_label`` is the place's
name as the caller knows it (e.g. the coordinator's ``area_label``); without it the code
is shown, and "France" for the whole country.

:func:`impact_png` takes a few hundred milliseconds of CPU: call it off the event loop
(``await asyncio.to_thread(impact_png, figures, language)``). It draws with matplotlib's
Agg canvas and the DejaVu Sans font that ships with matplotlib, without pyplot (no global
figure state, safe from any thread), and matplotlib is imported on first use only.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator, Sequence
from datetime import date

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

from conversations import exports
from conversations.i18n import DEFAULT_LANGUAGE, LANGUAGES, first_of_month, translate, translate_plural
from storage.outcomes import OutcomeFigures
from storage.stats import ImpactFigures

CSV_HEADER = ("section", "key", "value")
_RENDER_LOCK = threading.Lock()  # rcParams are global: one chart at a time


def _lang(language: str | None) -> str:
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def _day(day: date, language: str) -> str:
    """``day`` as people read it: « 1er janvier 2026 », "January 1, 2026"."""
    return first_of_month(format_date(day, format="long", locale=language), day.day, language)


def _number(value: int, language: str) -> str:
    return format_decimal(value, locale=language)


def _percent(rate: float, language: str) -> str:
    return format_percent(rate, locale=language)


def _area(figures: ImpactFigures, language: str, area_label: str | None) -> str:
    if area_label:
        return area_label
    if figures.area_kind == "france":
        return translate(language, "stats.area.france")
    return figures.area_code


def counted(value: int, key: str, language: str) -> str:
    """``value`` and its noun in the plural form its number takes ("1 besoin", "2 besoins", "0 offre"):
    gettext plurals (``msgid_plural``), never "besoin(s)"; the number written the locale's way."""
    return translate_plural(language, key, value, n=_number(value, language))


def _registered(figures: ImpactFigures, language: str) -> str:
    """The registrations to events, and the people they bring when more than one each (« 4 inscrits, 9 personnes »)."""
    registered = counted(figures.event_registrations, "stats.registered_n", language)
    if figures.event_people <= figures.event_registrations:
        return registered
    people = counted(figures.event_people, "events.people_n", language)
    return translate(language, "stats.registered_people", registered=registered, people=people)


def _items(counts: dict[str, int], prefix: str, language: str) -> str:
    """``Label 3, Label 1`` for the non-zero counts, largest first (vocabulary order on ties)."""
    order = {key: index for index, key in enumerate(counts)}
    shown = sorted((key for key, value in counts.items() if value), key=lambda key: (-counts[key], order[key]))
    if not shown:
        return translate(language, "stats.none")
    return ", ".join(f"{translate(language, f'{prefix}.{key}')} {_number(counts[key], language)}" for key in shown)


def impact_text(figures: ImpactFigures, language: str, area_label: str | None = None, period: str | None = None) -> str:
    """The figures as a chat message in ``language`` (fr or en); ``period``: the period in words
    (« Cette année », said before its days: :func:`conversations.periods.period_name`)."""
    lang = _lang(language)
    n = lambda value: _number(value, lang)  # noqa: E731
    lines = [
        translate(lang, "stats.title", area=_area(figures, lang, area_label)),
        translate(lang, "stats.period", start=_day(figures.start, lang), end=_day(figures.end, lang))
        if period is None
        else translate(lang, "stats.period_named", period=period, start=_day(figures.start, lang), end=_day(figures.end, lang)),
        "",
        translate(lang, "stats.actors", total=n(figures.actors_total), new=n(figures.actors_new)),
        "• " + translate(lang, "stats.by_kind", items=_items(figures.actors_by_kind, "actor_type", lang)),
        "• " + translate(lang, "stats.by_theme", items=_items(figures.actors_by_theme, "theme", lang)),
        "",
        translate(
            lang,
            "stats.listings_n",
            end=_day(figures.end, lang),
            needs=counted(figures.open_needs, "stats.need_n", lang),
            offers=counted(figures.open_offers, "stats.offer_n", lang),
        ),
    ]
    categories = list(dict.fromkeys([*figures.needs_by_category, *figures.offers_by_category]))
    for category in categories:
        needs, offers = figures.needs_by_category.get(category, 0), figures.offers_by_category.get(category, 0)
        if needs or offers:
            label = translate(lang, f"category.{category}")
            needs_text, offers_text = counted(needs, "stats.need_n", lang), counted(offers, "stats.offer_n", lang)
            lines.append("• " + translate(lang, "stats.listing_line_n", category=label, needs=needs_text, offers=offers_text))
    suggestions = translate(lang, "stats.suggestions", sent=n(figures.suggestions_sent), accepted=n(figures.suggestions_accepted))
    if figures.acceptance_rate is not None:
        suggestions += f" ({_percent(figures.acceptance_rate, lang)})"
    lines += [
        "",
        suggestions,
        translate(lang, "stats.introductions", count=n(figures.introductions_made)),
        translate(
            lang,
            "stats.partnerships",
            launched=n(figures.partnerships_launched),
            discussing=n(figures.partnerships_discussing),
        ),
        *outcome_lines(figures.outcomes, lang),
        "",
        translate(
            lang,
            "stats.broadcasts_n",
            count=n(figures.broadcasts),
            recipients=counted(figures.broadcast_recipients, "stats.recipient_n", lang),
            delivered=counted(figures.broadcast_delivered, "stats.delivered_n", lang),
            answers=counted(figures.broadcast_answers, "stats.answer_n", lang),
        ),
    ]
    if figures.answer_rate is not None:
        lines.append(translate(lang, "stats.answer_rate", rate=_percent(figures.answer_rate, lang)))
    lines.append(
        translate(
            lang,
            "stats.groups_events",
            groups=counted(figures.groups_formed, "stats.group_formed_n", lang),
            members=counted(figures.group_members, "stats.member_n", lang),
            events=counted(figures.events, "stats.event_n", lang),
            registered=_registered(figures, lang),
        )
    )
    if figures.groups_forming:  # invitations one member accepted: not formed yet, never left unsaid
        lines.append(
            "• "
            + translate_plural(
                lang, "stats.groups_forming_n", figures.groups_forming, members=counted(figures.forming_members, "stats.accepted_n", lang)
            )
        )
    lines += trend_lines(figures.outcomes, lang)
    if figures.demo_actors:  # said, so that /reponses (every answer) and these figures are read right
        lines += ["", translate_plural(lang, "stats.demo_left_out_n", figures.demo_actors)]
    return "\n".join(lines)


def pair_label(pair: str, language: str) -> str:
    """``association|entreprise`` → "Association ↔ Entreprise"."""
    first, _, second = pair.partition("|")
    return f"{translate(language, f'actor_type.{first}')} ↔ {translate(language, f'actor_type.{second}')}"


def month_label(month: str, language: str) -> str:
    """``2026-01`` → "janv. 2026" (en: "Jan 2026")."""
    return format_date(date.fromisoformat(month + "-01"), format="MMM y", locale=language)


def outcome_lines(outcomes: OutcomeFigures, language: str) -> list[str]:
    """What was launched, by kind, by sector pair and by theme, and the stories shared."""
    n = lambda value: _number(value, language)  # noqa: E731
    lines = [
        translate(
            language,
            "stats.outcomes_total_n",
            introductions=counted(outcomes.introductions_launched, "stats.introduction_n", language),
            groups=counted(outcomes.groups_launched, "stats.group_n", language),
        )
    ]
    if outcomes.programmes_sent:
        lines.append(
            translate(
                language,
                "stats.programmes_n",
                count=counted(outcomes.programmes_sent, "stats.programme_sent_n", language),
                employees=counted(outcomes.programme_employees, "stats.employee_n", language),
            )
        )
    if not (outcomes.introductions_launched or outcomes.groups_launched):
        return lines
    lines.append("• " + translate(language, "stats.outcomes_kinds", items=_items(outcomes.by_kind, "outcome.kind", language)))
    if outcomes.by_pair:
        pairs = ", ".join(f"{pair_label(pair, language)} {n(count)}" for pair, count in outcomes.by_pair.items())
        lines.append("• " + translate(language, "stats.outcomes_pairs", items=pairs))
    if outcomes.by_theme:
        lines.append("• " + translate(language, "stats.outcomes_themes", items=_items(outcomes.by_theme, "theme", language)))
    if outcomes.stories:
        lines.append(translate(language, "stats.stories"))
        lines += [f"« {story} »" if language == "fr" else f"“{story}”" for story in outcomes.stories]
    return lines


def trend_lines(outcomes: OutcomeFigures, language: str) -> list[str]:
    """One line per month with something in it: introductions, launched, calls and their answer rate."""
    busy = [m for m in outcomes.months if m.introductions or m.calls or m.delivered_expecting_answer]
    if not busy:
        return []
    lines = ["", translate(language, "stats.trend")]
    for month in busy:
        rate = "" if month.answer_rate is None else translate(language, "stats.trend_rate", rate=_percent(month.answer_rate, language))
        lines.append(
            "• "
            + translate(
                language,
                "stats.trend_line_n",
                month=month_label(month.month, language),
                introductions=counted(month.introductions, "stats.introduction_n", language),
                launched=counted(month.launched, "stats.launched_n", language),
                calls=counted(month.calls, "stats.call_n", language),
                rate=rate,
            )
        )
    return lines


def _rows(figures: ImpactFigures) -> Iterator[tuple[str, str, str]]:
    def rate(value: float | None) -> str:
        return "" if value is None else f"{value:.4f}"

    yield ("period", "area_kind", figures.area_kind)
    yield ("period", "area_code", figures.area_code)
    yield ("period", "start", figures.start.isoformat())
    yield ("period", "end", figures.end.isoformat())
    yield ("actors", "total", str(figures.actors_total))
    yield ("actors", "new", str(figures.actors_new))
    yield ("actors", "demo_left_out", str(figures.demo_actors))
    for section, counts in (
        ("actors_by_kind", figures.actors_by_kind),
        ("actors_by_theme", figures.actors_by_theme),
        ("open_needs_by_category", figures.needs_by_category),
        ("open_offers_by_category", figures.offers_by_category),
    ):
        for key, value in counts.items():
            yield (section, key, str(value))
    yield ("suggestions", "sent", str(figures.suggestions_sent))
    yield ("suggestions", "accepted", str(figures.suggestions_accepted))
    yield ("suggestions", "acceptance_rate", rate(figures.acceptance_rate))
    yield ("introductions", "made", str(figures.introductions_made))
    yield ("partnerships", "launched", str(figures.partnerships_launched))
    yield ("partnerships", "discussing", str(figures.partnerships_discussing))
    yield ("broadcasts", "count", str(figures.broadcasts))
    yield ("broadcasts", "recipients", str(figures.broadcast_recipients))
    yield ("broadcasts", "delivered", str(figures.broadcast_delivered))
    yield ("broadcasts", "delivered_expecting_answer", str(figures.broadcast_delivered_expecting_answer))
    yield ("broadcasts", "answers", str(figures.broadcast_answers))
    yield ("broadcasts", "answer_rate", rate(figures.answer_rate))
    yield ("groups", "formed", str(figures.groups_formed))
    yield ("groups", "members", str(figures.group_members))
    yield ("groups", "forming", str(figures.groups_forming))
    yield ("groups", "forming_members", str(figures.forming_members))
    yield ("events", "published", str(figures.events))
    yield ("events", "registrations", str(figures.event_registrations))
    yield ("events", "people", str(figures.event_people))
    outcomes = figures.outcomes
    yield ("outcomes", "introductions_launched", str(outcomes.introductions_launched))
    yield ("outcomes", "groups_launched", str(outcomes.groups_launched))
    yield ("programmes", "sent", str(outcomes.programmes_sent))
    yield ("programmes", "employees", str(outcomes.programme_employees))
    for section, counts in (
        ("outcomes_by_kind", outcomes.by_kind),
        ("outcomes_by_pair", outcomes.by_pair),
        ("outcomes_by_theme", outcomes.by_theme),
    ):
        for key, value in counts.items():
            yield (section, key, str(value))
    for month in outcomes.months:
        yield (MONTH_SECTION + month.month, "introductions", str(month.introductions))
        yield (MONTH_SECTION + month.month, "launched", str(month.launched))
        yield (MONTH_SECTION + month.month, "calls", str(month.calls))
        yield (MONTH_SECTION + month.month, "answers", str(month.answers))
        yield (MONTH_SECTION + month.month, "answer_rate", rate(month.answer_rate))


def impact_csv(figures: ImpactFigures, language: str | None = "fr") -> bytes:
    """The figures as a spreadsheet-friendly CSV (see :mod:`conversations.exports`): in French,
    ``Rubrique;Élément;Valeur`` with French labels, dates ``31/03/2026`` and decimal commas; in
    English, ``Section,Item,Value``. Rates are fractions (``0,2500``), empty when undefined.
    :func:`impact_rows` keeps the stored identifiers (``association``, ``benevoles``…)."""
    lang = _lang(language)
    header = [translate(lang, f"export.impact.{column}") for column in ("section", "key", "value")]
    return exports.write_csv(header, (_export_row(section, key, value, lang) for section, key, value in _rows(figures)), lang)


def impact_rows(figures: ImpactFigures) -> list[tuple[str, str, str]]:
    """(section, key, value) with the stored identifiers, rates as ``0.2500`` (comparable across languages)."""
    return list(_rows(figures))


_KEY_PREFIXES = {
    "actors_by_kind": "actor_type.",
    "actors_by_theme": "theme.",
    "open_needs_by_category": "category.",
    "open_offers_by_category": "category.",
    "outcomes_by_kind": "outcome.kind.",
    "outcomes_by_theme": "theme.",
}
MONTH_SECTION = "month_"
"""Sections ``month_2026-11``: one calendar month of the trend."""


def _export_row(section: str, key: str, value: str, language: str) -> tuple[str, str, str]:
    """One row of :func:`_rows` as people read it: every label translated (never an identifier
    such as ``outcomes_by_kind``), local dates and months, decimal marks."""
    prefix = _KEY_PREFIXES.get(section)
    if section == "outcomes_by_pair":
        shown_key = pair_label(key, language)
    else:
        shown_key = exports.label(language, (prefix or "export.key.") + key, key)
    if section == "period" and key in ("start", "end"):
        value = exports.local_date(date.fromisoformat(value), language)
    elif section == "period" and key == "area_kind":
        value = exports.label(language, f"export.area.{value}", value)
    elif key.endswith("_rate") and value:
        value = exports.decimal(float(value), language)
    if section.startswith(MONTH_SECTION):
        shown_section = translate(language, "export.section.month", month=month_label(section.removeprefix(MONTH_SECTION), language))
    else:
        shown_section = exports.label(language, f"export.section.{section}", section)
    return shown_section, shown_key, value


CHART_HEIGHT_INCHES = 24
"""The chart is 7 inches wide at 150 dpi (1050 pixels) and this tall (3600 pixels)."""

# Okabe-Ito colours: distinguishable with every common colour-vision deficiency.
_GREEN, _ORANGE, _BLUE, _PURPLE = "#009E73", "#D55E00", "#0072B2", "#CC79A7"


def impact_png(figures: ImpactFigures, language: str, area_label: str | None = None) -> bytes:
    """A PNG chart of the figures, titles in ``language``: actors by type and by theme, open
    listings by category (needs next to offers), and the funnel from suggestion to
    partnership, what collaborations launched (by kind, sector pair and theme), the trend by
    month, and calls with their answer rate by month (themes and categories with a zero are
    left out). 1050×3600 pixels, fonts sized to stay readable on a phone."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    lang = _lang(language)
    t = lambda key, **params: translate(lang, key, **params)  # noqa: E731

    def nothing(ax, title: str) -> None:  # type: ignore[no-untyped-def]
        ax.set_title(title, fontsize=16, fontweight="bold", loc="left")
        ax.text(0.5, 0.5, t("stats.none"), fontsize=14, color="#555555", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()

    def hbars(ax, labels: list[str], values: list[int], title: str, color: str) -> None:  # type: ignore[no-untyped-def]
        if not labels:
            nothing(ax, title)
            return
        positions = list(range(len(labels)))
        bars = ax.barh(positions, values, color=color, height=0.7)
        ax.bar_label(bars, labels=[_number(v, lang) for v in values], padding=4, fontsize=12)
        finish(ax, positions, labels, title, max(values, default=0))

    def columns(ax, positions: list[float], labels: list[str], title: str) -> None:  # type: ignore[no-untyped-def]
        ax.set_xticks(positions, labels=labels, fontsize=11, rotation=30 if len(labels) > 6 else 0)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylim(0, ax.get_ylim()[1] * 1.25)
        ax.set_title(title, fontsize=16, fontweight="bold", loc="left")
        ax.spines[["top", "right"]].set_visible(False)
        ax.grid(axis="y", alpha=0.3)
        ax.set_axisbelow(True)

    def finish(ax, positions: Sequence[float], labels: list[str], title: str, top: int) -> None:  # type: ignore[no-untyped-def]
        ax.set_yticks(positions, labels=labels, fontsize=13)
        ax.invert_yaxis()
        ax.set_xlim(0, max(top, 1) * 1.18)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.tick_params(axis="x", labelsize=11)
        ax.set_title(title, fontsize=16, fontweight="bold", loc="left")
        ax.spines[["top", "right"]].set_visible(False)
        ax.grid(axis="x", alpha=0.3)
        ax.set_axisbelow(True)

    kinds = list(figures.actors_by_kind)
    themes = [key for key, value in figures.actors_by_theme.items() if value]
    categories = [
        c
        for c in dict.fromkeys([*figures.needs_by_category, *figures.offers_by_category])
        if figures.needs_by_category.get(c) or figures.offers_by_category.get(c)
    ]
    funnel = [
        (t("stats.funnel.sent"), figures.suggestions_sent),
        (t("stats.funnel.accepted"), figures.suggestions_accepted),
        (t("stats.funnel.introductions"), figures.introductions_made),
        (t("stats.funnel.launched"), figures.partnerships_launched),
    ]
    outcomes = figures.outcomes
    outcome_kinds = [k for k, v in outcomes.by_kind.items() if v]
    pairs = list(outcomes.by_pair)
    outcome_themes = list(outcomes.by_theme)
    months = list(outcomes.months)
    with _RENDER_LOCK, matplotlib.rc_context({"font.family": "DejaVu Sans", "svg.hashsalt": "traitdunion", "axes.titlepad": 10}):
        fig = Figure(figsize=(7, CHART_HEIGHT_INCHES), dpi=150, layout="constrained")
        FigureCanvasAgg(fig)
        ratios = [
            len(kinds) + 1.5,
            max(len(themes), 1) + 1.5,
            1.6 * max(len(categories), 1) + 2,
            5.5,
            max(len(outcome_kinds), 1) + 1.5,
            max(len(pairs), 1) + 1.5,
            max(len(outcome_themes), 1) + 1.5,
            6,
            6,
        ]
        axes = fig.subplots(len(ratios), 1, gridspec_kw={"height_ratios": ratios})
        fig.suptitle(
            t("stats.chart.title", area=_area(figures, lang, area_label))
            + "\n"
            + t("stats.period", start=_day(figures.start, lang), end=_day(figures.end, lang)),
            fontsize=17,
        )
        hbars(
            axes[0],
            [t(f"actor_type.{k}") for k in kinds],
            [figures.actors_by_kind[k] for k in kinds],
            t("stats.chart.actors"),
            _GREEN,
        )
        hbars(
            axes[1],
            [t(f"theme.{k}") for k in themes],
            [figures.actors_by_theme.get(k, 0) for k in themes],
            t("stats.chart.themes"),
            _GREEN,
        )
        ax = axes[2]
        if categories:
            needs = [figures.needs_by_category.get(c, 0) for c in categories]
            offers = [figures.offers_by_category.get(c, 0) for c in categories]
            positions = [float(i) for i in range(len(categories))]
            for values, shift, color, key in (
                (needs, -0.2, _ORANGE, "stats.chart.needs"),
                (offers, 0.2, _BLUE, "stats.chart.offers"),
            ):
                bars = ax.barh([p + shift for p in positions], values, height=0.4, color=color, label=t(key))
                ax.bar_label(bars, labels=[_number(v, lang) if v else "" for v in values], padding=3, fontsize=11)
            finish(ax, positions, [t(f"category.{c}") for c in categories], t("stats.chart.listings"), max(needs + offers))
            ax.legend(fontsize=13, loc="upper left", bbox_to_anchor=(0, -0.08), ncols=2, frameon=False)
        else:
            nothing(ax, t("stats.chart.listings"))
        hbars(axes[3], [label for label, _ in funnel], [value for _, value in funnel], t("stats.chart.funnel"), _PURPLE)
        hbars(
            axes[4],
            [t(f"outcome.kind.{k}") for k in outcome_kinds],
            [outcomes.by_kind[k] for k in outcome_kinds],
            t("stats.chart.outcomes"),
            _PURPLE,
        )
        hbars(axes[5], [pair_label(p, lang) for p in pairs], [outcomes.by_pair[p] for p in pairs], t("stats.chart.pairs"), _PURPLE)
        hbars(
            axes[6],
            [t(f"theme.{k}") for k in outcome_themes],
            [outcomes.by_theme[k] for k in outcome_themes],
            t("stats.chart.outcome_themes"),
            _PURPLE,
        )
        labels = [month_label(m.month, lang) for m in months]
        positions = [float(i) for i in range(len(months))]
        ax = axes[7]
        if any(m.introductions for m in months):
            for values, shift, color, key in (
                ([m.introductions for m in months], -0.2, _BLUE, "stats.chart.trend_introductions"),
                ([m.launched for m in months], 0.2, _PURPLE, "stats.chart.trend_launched"),
            ):
                bars = ax.bar([p + shift for p in positions], values, width=0.4, color=color, label=t(key))
                ax.bar_label(bars, labels=[_number(v, lang) if v else "" for v in values], padding=2, fontsize=10)
            columns(ax, positions, labels, t("stats.chart.trend"))
            ax.legend(fontsize=12, loc="upper left", bbox_to_anchor=(0, -0.12), frameon=False, ncols=2)
        else:
            nothing(ax, t("stats.chart.trend"))
        ax = axes[8]
        if any(m.calls or m.delivered_expecting_answer for m in months):
            bars = ax.bar(positions, [m.calls for m in months], width=0.6, color=_BLUE, label=t("stats.chart.calls_bar"))
            ax.bar_label(bars, labels=[_number(m.calls, lang) if m.calls else "" for m in months], padding=2, fontsize=10)
            columns(ax, positions, labels, t("stats.chart.calls"))
            rates = ax.twinx()
            rated = [(p, m.answer_rate) for p, m in zip(positions, months, strict=True) if m.answer_rate is not None]
            rates.plot(
                [p for p, _ in rated],
                [100 * r for _, r in rated],
                color=_ORANGE,
                marker="o",
                linewidth=2,
                label=t("stats.chart.answer_rate"),
            )
            for p, r in rated:
                rates.annotate(
                    _percent(r, lang), (p, 100 * r), textcoords="offset points", xytext=(8, -14), ha="left", fontsize=10, color=_ORANGE
                )
            rates.set_ylim(0, 125)
            rates.set_ylabel(t("stats.chart.answer_rate") + " (%)", fontsize=11)
            rates.spines[["top"]].set_visible(False)
            handles = ax.get_legend_handles_labels()[0] + rates.get_legend_handles_labels()[0]
            ax.legend(handles=handles, fontsize=12, loc="upper left", bbox_to_anchor=(0, -0.12), frameon=False, ncols=2)
        else:
            nothing(ax, t("stats.chart.calls"))
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", metadata={"Software": None}, facecolor="white")
    return buffer.getvalue()
