"""Plotly figures from an events frame (see ``events.filters.frame``): timeline, monthly bars, network.

Article text is escaped wherever it reaches a figure: Plotly hover labels render HTML tags.
Beyond ``MAX_POINTS`` events the timeline groups events by period (and, when even years
give more than ``MAX_GROUPS`` groups, draws only the busiest lanes), so what is sent to the
browser stays small whatever the store holds; the returned note says so.
"""
from __future__ import annotations

import datetime as dt
import html
import json
import math
import textwrap

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .model import EVENT_TYPES

TYPE_COLOURS: dict[str, str] = {
    "call": "#0072B2", "visit": "#E69F00", "meeting": "#009E73", "strike": "#D55E00",
    "aid": "#56B4E9", "agreement": "#CC79A7", "sanction": "#6A3D9A", "statement": "#7F7F7F",
}
MAX_POINTS = 2000
MAX_GROUPS = 5 * MAX_POINTS  # grouped markers drawn at most (~150 bytes each), when even years give more than MAX_POINTS
QUOTE_WIDTH = 70
QUOTE_LINES = 6
SPAN_DAYS_MIN = 2


def esc(text: object) -> str:
    """Article text made safe for a Plotly label (tags shown, not rendered)."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ""
    return html.escape(str(text), quote=False)


def _wrap_lines(text: str, width: int) -> list[str]:
    """``textwrap.wrap(text, width)``, with a fast path for plain prose.

    Text of words separated by single spaces, without hyphens or other whitespace (tabs,
    newlines, no-break spaces: none of them is printable) and with no word longer than
    ``width`` is wrapped greedily here, as textwrap does it but ~10x faster; anything else
    goes through textwrap itself.
    """
    if not text:
        return []
    if len(text) <= width and text.isprintable() and " " not in (text[0], text[-1]) and "  " not in text:
        return [text]  # textwrap's chunks all fit on one line (a hyphen changes nothing)
    if "-" in text or "  " in text or text[0] == " " or text[-1] == " " or not text.isprintable():
        return textwrap.wrap(text, width=width)
    words = text.split(" ")
    if max(map(len, words)) > width:
        return textwrap.wrap(text, width=width)
    lines: list[str] = []
    line = words[0]
    size = len(line)
    for word in words[1:]:
        if size + 1 + len(word) <= width:
            line += " " + word
            size += 1 + len(word)
        else:
            lines.append(line)
            line, size = word, len(word)
    lines.append(line)
    return lines


def wrap(text: str, width: int = QUOTE_WIDTH, lines: int = QUOTE_LINES) -> str:
    """Escaped text broken into lines of ``width`` for a hover label."""
    parts = _wrap_lines(str(text), width) or [""]
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] += " …"
    # the parts hold no newline (textwrap turns whitespace into spaces): escape them in one go
    return html.escape("\n".join(parts), quote=False).replace("\n", "<br>")


def _months() -> dict[int, str]:
    """Month abbreviations as ``strftime('%b')`` writes them now (it follows the LC_TIME locale)."""
    return {m: dt.date(2000, m, 1).strftime("%b") for m in range(1, 13)}


def _date_text(start, prec, end, months: dict[int, str] | None = None) -> str:
    if pd.isna(start):
        return "undated"
    if months is not None and start.year >= 1000:  # same text as strftime, without calling it per event
        if prec == "year":
            text = f"{start.year}"
        elif prec == "month":
            text = f"{months[start.month]} {start.year}"
        elif prec == "week":
            text = f"week of {start.day} {months[start.month]} {start.year}"
        else:
            text = f"{start.day} {months[start.month]} {start.year}"
    elif prec == "year":
        text = f"{start.year}"
    elif prec == "month":
        text = start.strftime("%b %Y")
    elif prec == "week":
        text = "week of " + start.strftime("%d %b %Y").lstrip("0")
    else:
        text = start.strftime("%d %b %Y").lstrip("0")
    if isinstance(end, str) and end:
        text += " – " + pd.Timestamp(end).strftime("%d %b %Y").lstrip("0")
    return text


def date_label(row) -> str:
    """'23 Jul 2025', 'week of 14 Jul 2025', 'Jun 2025', '2022', '22 Jul 2025 – 23 Jul 2025', 'undated'."""
    return _date_text(row["start"], row["precision"], row.get("date_end"))


_HOVER_FIELDS = ("start", "precision", "date_end", "date_text", "type", "source", "source_person", "target",
                 "target_person", "quote", "article", "article_title", "article_published", "n_articles")
_HOVER_REQUIRED = frozenset({"start", "precision", "type", "source", "source_person", "target", "target_person",
                             "quote", "article"})


def _hover_labels(columns: list[list]) -> list[str]:
    """Hover labels from the ``_HOVER_FIELDS`` columns (lists of equal length).

    Codes, names, dates and titles repeat from event to event: their escaped text is made
    once per distinct value.
    """
    months = _months()
    escaped: dict[str, str] = {}
    wrapped: dict[str, str] = {}

    def e(value: object) -> str:
        if type(value) is not str:
            return esc(value)
        text = escaped.get(value)
        if text is None:
            text = escaped[value] = html.escape(value, quote=False)
        return text

    def who(code: object, person: object) -> str:
        return f"{e(code)} ({e(person)})" if isinstance(person, str) and person else e(code)

    def label(start, precision, date_end, date_text, etype, source, source_person, target, target_person, quote, article,
              title, published, n) -> str:
        when = e(_date_text(start, precision, date_end, months))
        lines = [f"<b>{when}</b> · {e(precision or 'no date')}"]
        if isinstance(date_text, str) and date_text:
            lines.append(f"from “{e(date_text)}” → {when}")
        lines.append(f"<b>{e(etype)}</b>: {who(source, source_person)} → {who(target, target_person)}")
        lines.append("“" + wrap(quote) + "”")
        if isinstance(title, str) and title:
            if title not in wrapped:
                wrapped[title] = f"<i>{wrap(title, lines=2)}</i>"
            text = wrapped[title]
        else:
            text = e(article)
        if isinstance(published, str) and published:
            text += f", published {e(published)}"
        lines.append(text)
        if isinstance(n, int | float) and n > 1:
            lines.append(f"told by {int(n)} articles")
        return "<br>".join(lines)

    return [label(*values) for values in zip(*columns)]


def hover_text(row) -> str:
    """The hover label of one event: date and how, type and actors, the quote, the article."""
    return _hover_labels([[row[c] if c in _HOVER_REQUIRED else row.get(c, 1 if c == "n_articles" else None)]
                          for c in _HOVER_FIELDS])[0]


def hover_texts(df: pd.DataFrame) -> list[str]:
    """``hover_text`` of every row of ``df``, built column-wise (no per-row Series, strftime or textwrap)."""
    n = len(df)
    return _hover_labels([df[c].tolist() if c in df.columns else [1 if c == "n_articles" else None] * n
                          for c in _HOVER_FIELDS])


def _lanes(df: pd.DataFrame, lanes: str) -> pd.DataFrame:
    """One row per point to draw: an event appears in each lane it belongs to."""
    if lanes == "actor":
        a = df.assign(lane=df["source"])
        b = df[df["target"] != df["source"]].assign(lane=df["target"])
        return pd.concat([a, b], ignore_index=True)
    if lanes == "pair":
        return df.assign(lane=df["pair"])
    return df.assign(lane=df["type"])


def _codes(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Codes into sorted distinct values (-1 for missing) and those values: a groupby's sort order."""
    codes, names = pd.factorize(column, sort=True)
    return codes, np.asarray(names, dtype=object)


def _point_codes(df: pd.DataFrame, lanes: str, dated: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(lane codes, lane names, type codes, type names, starts) of every point, as ``_lanes`` orders the points.

    Works on codes of whole columns, so nothing of the (possibly large) frame is copied.
    """
    type_codes, type_names = _codes(df["type"])
    starts = df["start"].to_numpy()
    if lanes != "actor":
        lane_codes, lane_names = _codes(df["pair" if lanes == "pair" else "type"])
        return lane_codes[dated], lane_names, type_codes[dated], type_names, starts[dated]
    other = dated & (df["target"] != df["source"]).to_numpy()
    (src, src_names), (tgt, tgt_names) = _codes(df["source"]), _codes(df["target"])
    lane_names = np.array(sorted(set(src_names) | set(tgt_names)), dtype=object)
    src_map, tgt_map = np.searchsorted(lane_names, src_names), np.searchsorted(lane_names, tgt_names)
    lane_codes = np.concatenate([np.where(src[dated] >= 0, src_map[src[dated]], -1),
                                 np.where(tgt[other] >= 0, tgt_map[tgt[other]], -1)])
    return (lane_codes, lane_names, np.concatenate([type_codes[dated], type_codes[other]]), type_names,
            np.concatenate([starts[dated], starts[other]]))


def _order(lane_codes: np.ndarray, lane_names: np.ndarray, lanes: str) -> list[str]:
    counts = np.bincount(lane_codes[lane_codes >= 0], minlength=len(lane_names))
    if lanes == "type":
        present = set(lane_names[counts > 0])
        return [t for t in EVENT_TYPES if t in present]
    n = dict(zip(lane_names[counts > 0].tolist(), counts[counts > 0].tolist()))
    return sorted(n, key=lambda k: (-n[k], k))


def _lane_order(points: pd.DataFrame, lanes: str) -> list[str]:
    return _order(*_codes(points["lane"]), lanes)


def timeline(df: pd.DataFrame, lanes: str = "type", selected: str | None = None) -> tuple[go.Figure, str | None]:
    """The timeline of dated events in ``df``, and a note when events were grouped.

    Day-precision events are markers; week, month and year precision are drawn as a bar
    over their whole interval with a hollow marker at its middle. ``customdata[0]`` of
    each point is its event id. Beyond ``MAX_POINTS`` points the events are grouped by
    period before anything per event is built, so the cost stays flat as ``df`` grows.
    """
    has_start = df["start"].notna().to_numpy()
    if not has_start.any():
        return _layout(go.Figure(), [], 300), None
    n_points = int(has_start.sum())
    if lanes == "actor":
        n_points += int((has_start & (df["target"] != df["source"]).to_numpy()).sum())
    if n_points > MAX_POINTS:
        lane_codes, lane_names, type_codes, type_names, starts = _point_codes(df, lanes, has_start)
        order = _order(lane_codes, lane_names, lanes)
        fig, word, drawn, n_drawn = _grouped(lane_codes, lane_names, type_codes, type_names, starts, order)
        note = (f"{n_points:,} points are too many to draw one by one: they are grouped by {word} "
                f"(marker size = number of events). Narrow the filters to see single events and their quotes.")
        if len(drawn) < len(order):
            note += (f" Even by year there are too many groups: only the {len(drawn):,} busiest of {len(order):,} lanes "
                     f"are drawn ({n_drawn:,} of the {n_points:,} points).")
        return _layout(fig, drawn, _height(drawn)), note
    dated = df[has_start]
    hover = np.array(hover_texts(dated), dtype=object)
    points = _lanes(dated, lanes)
    order = _lane_order(points, lanes)
    position = {lane: i for i, lane in enumerate(order)}
    if lanes == "actor":
        hover = np.concatenate([hover, hover[(dated["target"] != dated["source"]).to_numpy()]])
    span = (points["precision"].isin(["week", "month", "year"]) | points["date_end"].notna()).to_numpy()
    start, end = points["start"], points["end"]
    mid = start + (end + pd.Timedelta(days=1) - start) / 2
    x = mid.where(span, start)
    y = points["lane"].map(position).astype(float)
    # spread events on the same lane and day so none hides another
    day = [points["lane"], x.dt.normalize()]
    rank = points.groupby(day).cumcount()
    size = points.groupby(day)["id"].transform("count")
    y += ((rank - (size - 1) / 2) * 0.18).clip(-0.4, 0.4)
    ids, precisions = points["id"].to_numpy(dtype=object), points["precision"].to_numpy(dtype=object)
    by_type = pd.Series(np.arange(len(points))).groupby(points["type"].to_numpy(dtype=object)).indices
    data = []
    for etype in EVENT_TYPES:
        rows = by_type.get(etype)
        if rows is None:
            continue
        colour = TYPE_COLOURS[etype]
        spans = rows[span[rows]]
        if len(spans):
            xs = np.empty(3 * len(spans), dtype=object)  # ISO text, as the JSON encoder writes a Timestamp
            xs[0::3] = [t.isoformat() for t in start.iloc[spans].tolist()]
            xs[1::3] = [t.isoformat() for t in (end.iloc[spans] + pd.Timedelta(days=1)).tolist()]
            ys = np.empty(3 * len(spans), dtype=object)
            ys[0::3] = ys[1::3] = y.iloc[spans].tolist()
            data.append({"type": "scatter", "x": xs, "y": ys, "mode": "lines", "line": {"color": colour, "width": 9},
                         "opacity": 0.35, "hoverinfo": "skip", "showlegend": False, "legendgroup": etype, "name": etype})
        customdata = np.empty((len(rows), 2), dtype=object)
        customdata[:, 0], customdata[:, 1] = ids[rows], precisions[rows]
        data.append({
            "type": "scatter", "x": x.iloc[rows], "y": y.iloc[rows], "mode": "markers", "name": etype,
            "legendgroup": etype,
            "marker": {"color": colour, "size": 12, "symbol": np.where(span[rows], "circle-open", "circle").astype(object),
                       "line": {"width": 2.5, "color": colour}},
            "customdata": customdata, "hovertext": hover[rows], "hovertemplate": "%{hovertext}<extra></extra>",
            "selectedpoints": None,
        })
    if selected is not None and selected in set(ids):
        sel = np.flatnonzero(ids == selected)
        data.append({"type": "scatter", "x": x.iloc[sel], "y": y.iloc[sel], "mode": "markers", "hoverinfo": "skip",
                     "showlegend": False,
                     "marker": {"size": 22, "color": "rgba(0,0,0,0)", "line": {"width": 2, "color": "#222"}}})
    return _layout(go.Figure(data=data), order, _height(order)), None


def _grouped(lane_codes: np.ndarray, lane_names: np.ndarray, type_codes: np.ndarray, type_names: np.ndarray,
             starts: np.ndarray, order: list[str]) -> tuple[go.Figure, str, list[str], int]:
    """Points counted per (lane, type, period), in the order of a sorted groupby.

    The period is the finest of week, month and year that gives at most ``MAX_POINTS``
    groups, else year. When years give more than ``MAX_GROUPS`` (many lanes, e.g. one per
    pair of actors), only the first lanes of ``order`` (the busiest) that fit in
    ``MAX_GROUPS`` groups are kept, so the figure stays a few MB at most. Returns the
    figure, the period's name, the lanes drawn and the number of points they hold.
    """
    known = (lane_codes >= 0) & (type_codes >= 0)  # a groupby drops missing keys
    lane_codes, type_codes, starts = lane_codes[known], type_codes[known], starts[known]
    base = lane_codes.astype(np.int64) * len(type_names) + type_codes
    day_codes, days = pd.factorize(starts)  # few distinct days: periods are found per day, not per point
    days = pd.Series(days)

    def groups(period: str) -> tuple[np.ndarray, np.ndarray, int, int]:
        ordinal = days.dt.to_period(period).array.asi8[day_codes]
        lo = int(ordinal.min())
        width = int(ordinal.max()) - lo + 1
        keys, counts = np.unique(base * width + (ordinal - lo), return_counts=True)
        return keys, counts, lo, width

    for period in ("W", "M", "Y"):  # the finest period that keeps MAX_POINTS markers, else years
        keys, counts, lo, width = groups(period)
        if len(keys) <= MAX_POINTS:
            break
    word = {"W": "week", "M": "month", "Y": "year"}[period]
    if len(keys) > MAX_GROUPS:  # thin: the busiest lanes whose groups fit
        key_lane = keys // width // len(type_names)
        per_lane = np.bincount(key_lane, minlength=len(lane_names))
        code = {name: i for i, name in enumerate(lane_names.tolist())}
        drawn, n_groups = [], 0
        for name in order:
            if drawn and n_groups + per_lane[code[name]] > MAX_GROUPS:
                break
            drawn.append(name)
            n_groups += per_lane[code[name]]
        keep = np.isin(key_lane, [code[name] for name in drawn])
        keys, counts, order = keys[keep], counts[keep], drawn
    position = {name: i for i, name in enumerate(order)}
    g = pd.DataFrame({"lane": lane_names[keys // width // len(type_names)],
                      "type": type_names[keys // width % len(type_names)],
                      "period": pd.PeriodIndex.from_ordinals(keys % width + lo, freq=period), "n": counts})
    g["x"] = g["period"].dt.start_time
    g["y"] = g["lane"].map(position).astype(float)
    biggest = max(int(g["n"].max()), 1)
    data = []
    for etype in EVENT_TYPES:
        sub = g[g["type"] == etype]
        if sub.empty:
            continue
        labels: dict[pd.Timestamp, str] = {}
        hover = [f"<b>{n} {esc(etype)} event{'s' * (n != 1)}</b><br>{esc(lane)}, {word} of "
                 f"{labels[x] if x in labels else labels.setdefault(x, f'{x:%d %b %Y}')}"
                 for n, lane, x in zip(sub["n"].tolist(), sub["lane"].tolist(), sub["x"].tolist())]
        data.append({
            "type": "scatter", "x": sub["x"], "y": sub["y"], "mode": "markers", "name": etype,
            "marker": {"color": TYPE_COLOURS[etype], "size": 6 + 22 * (sub["n"] / biggest) ** 0.5, "opacity": 0.8},
            "customdata": np.full((len(sub), 1), "", dtype=object), "hovertext": np.array(hover, dtype=object),
            "hovertemplate": "%{hovertext}<extra></extra>",
        })
    return go.Figure(data=data), word, order, int(counts.sum())


def _height(order: list[str]) -> int:
    return max(320, 70 + 48 * len(order))


def _layout(fig: go.Figure, order: list[str], height: int) -> go.Figure:
    fig.update_layout(
        height=height, margin={"l": 10, "r": 10, "t": 30, "b": 40}, hovermode="closest", clickmode="event+select",
        showlegend=True,
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0, "title": {"text": ""}},
        hoverlabel={"align": "left", "bgcolor": "white", "font": {"size": 13}}, plot_bgcolor="white",
        xaxis={"showgrid": True, "gridcolor": "#eee", "type": "date"},
        yaxis={"tickmode": "array", "tickvals": list(range(len(order))), "ticktext": [esc(o) for o in order],
               "range": [-0.7, max(len(order) - 0.3, 0.7)], "showgrid": True, "gridcolor": "#f3f3f3",
               "zeroline": False, "automargin": True},
    )
    return fig


def monthly(df: pd.DataFrame) -> go.Figure:
    """Events per month, stacked by type."""
    dated = df.dropna(subset=["start"])
    fig = go.Figure()
    if not dated.empty:
        counts = dated.assign(month=dated["start"].dt.to_period("M").dt.start_time).groupby(["month", "type"]).size()
        for etype in EVENT_TYPES:
            if etype in counts.index.get_level_values("type"):
                sub = counts.xs(etype, level="type")
                fig.add_trace(go.Bar(x=sub.index, y=sub.values, name=etype, marker_color=TYPE_COLOURS[etype],
                                     hovertemplate="%{x|%b %Y}: %{y} " + etype + "<extra></extra>"))
    fig.update_layout(barmode="stack", height=380, margin={"l": 10, "r": 10, "t": 30, "b": 40},
                      legend={"orientation": "h", "y": 1.0, "yanchor": "bottom"}, plot_bgcolor="white",
                      yaxis={"title": "events", "gridcolor": "#eee"}, xaxis={"type": "date"})
    return fig


def network(df: pd.DataFrame, names: dict[str, str] | None = None, max_edges: int = 150) -> go.Figure:
    """Who interacts with whom: actors on a circle, edge width = number of events between them."""
    names = names or {}
    pairs = df.assign(a=df[["source", "target"]].min(axis=1), b=df[["source", "target"]].max(axis=1))
    edges = pairs.groupby(["a", "b"]).size().sort_values(ascending=False).head(max_edges)
    fig = go.Figure()
    if edges.empty:
        return _network_layout(fig)
    degree: dict[str, int] = {}
    for (a, b), n in edges.items():
        degree[a] = degree.get(a, 0) + n
        degree[b] = degree.get(b, 0) + n
    nodes = sorted(degree, key=lambda k: (-degree[k], k))
    pos = {k: (math.cos(2 * math.pi * i / len(nodes)), math.sin(2 * math.pi * i / len(nodes))) for i, k in enumerate(nodes)}
    top = int(edges.max())
    for (a, b), n in edges.items():
        (x0, y0), (x1, y1) = pos[a], pos[b]
        fig.add_trace(go.Scatter(x=[x0, x1], y=[y0, y1], mode="lines", showlegend=False, hoverinfo="skip",
                                 line={"width": 1 + 9 * n / top, "color": "rgba(90,90,90,0.45)"}))
        fig.add_trace(go.Scatter(x=[(x0 + x1) / 2], y=[(y0 + y1) / 2], mode="markers", showlegend=False,
                                 marker={"size": 8, "color": "rgba(0,0,0,0)"},
                                 hovertemplate=f"{esc(a)} – {esc(b)}: {n} event{'s' * (n != 1)}<extra></extra>"))
    fig.add_trace(go.Scatter(
        x=[pos[k][0] for k in nodes], y=[pos[k][1] for k in nodes], mode="markers+text", showlegend=False,
        text=[esc(k) for k in nodes], textposition="top center",
        marker={"size": [12 + 3 * math.sqrt(degree[k]) for k in nodes], "color": "#0072B2"},
        hovertext=[f"{esc(names.get(k, k))}: {degree[k]} event{'s' * (degree[k] != 1)}" for k in nodes],
        hovertemplate="%{hovertext}<extra></extra>",
    ))
    return _network_layout(fig)


def _network_layout(fig: go.Figure) -> go.Figure:
    fig.update_layout(height=480, margin={"l": 10, "r": 10, "t": 10, "b": 10}, plot_bgcolor="white",
                      xaxis={"visible": False, "range": [-1.3, 1.3]},
                      yaxis={"visible": False, "range": [-1.3, 1.3], "scaleanchor": "x"})
    return fig


def mentions_of(row) -> list[dict]:
    """The mentions of an event row as dicts (article, quote, quote_start, quote_end)."""
    raw = row.get("mentions")
    return json.loads(raw) if isinstance(raw, str) else []
