"""Plotly figures from an events frame (see ``events.filters.frame``): timeline, monthly bars, network.

Article text is escaped wherever it reaches a figure: Plotly hover labels render HTML tags.
Beyond ``MAX_POINTS`` events the timeline groups events by period, so what is sent to the
browser stays small whatever the store holds; the returned note says so.
"""
from __future__ import annotations

import html
import json
import math
import textwrap

import pandas as pd
import plotly.graph_objects as go

from .model import EVENT_TYPES

TYPE_COLOURS: dict[str, str] = {
    "call": "#0072B2", "visit": "#E69F00", "meeting": "#009E73", "strike": "#D55E00",
    "aid": "#56B4E9", "agreement": "#CC79A7", "sanction": "#6A3D9A", "statement": "#7F7F7F",
}
MAX_POINTS = 2000
QUOTE_WIDTH = 70
QUOTE_LINES = 6
SPAN_DAYS_MIN = 2


def esc(text: object) -> str:
    """Article text made safe for a Plotly label (tags shown, not rendered)."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ""
    return html.escape(str(text), quote=False)


def wrap(text: str, width: int = QUOTE_WIDTH, lines: int = QUOTE_LINES) -> str:
    """Escaped text broken into lines of ``width`` for a hover label."""
    parts = textwrap.wrap(str(text), width=width) or [""]
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] += " …"
    return "<br>".join(esc(p) for p in parts)


def date_label(row) -> str:
    """'23 Jul 2025', 'week of 14 Jul 2025', 'Jun 2025', '2022', '22 Jul 2025 – 23 Jul 2025', 'undated'."""
    if pd.isna(row["start"]):
        return "undated"
    start, prec = row["start"], row["precision"]
    if prec == "year":
        text = f"{start.year}"
    elif prec == "month":
        text = start.strftime("%b %Y")
    elif prec == "week":
        text = "week of " + start.strftime("%d %b %Y").lstrip("0")
    else:
        text = start.strftime("%d %b %Y").lstrip("0")
    end = row.get("date_end")
    if isinstance(end, str) and end:
        text += " – " + pd.Timestamp(end).strftime("%d %b %Y").lstrip("0")
    return text


def _who(code: object, person: object) -> str:
    person_text = f" ({esc(person)})" if isinstance(person, str) and person else ""
    return f"{esc(code)}{person_text}"


def hover_text(row) -> str:
    """The hover label of one event: date and how, type and actors, the quote, the article."""
    lines = [f"<b>{esc(date_label(row))}</b> · {esc(row['precision'] or 'no date')}"]
    if isinstance(row.get("date_text"), str) and row["date_text"]:
        lines.append(f"from “{esc(row['date_text'])}” → {esc(date_label(row))}")
    lines.append(f"<b>{esc(row['type'])}</b>: {_who(row['source'], row['source_person'])} → "
                 f"{_who(row['target'], row['target_person'])}")
    lines.append("“" + wrap(row["quote"]) + "”")
    title = row.get("article_title")
    published = row.get("article_published")
    source = f"<i>{wrap(title, lines=2)}</i>" if isinstance(title, str) and title else esc(row["article"])
    if isinstance(published, str) and published:
        source += f", published {esc(published)}"
    lines.append(source)
    n = row.get("n_articles", 1)
    if isinstance(n, int | float) and n > 1:
        lines.append(f"told by {int(n)} articles")
    return "<br>".join(lines)


def _lanes(df: pd.DataFrame, lanes: str) -> pd.DataFrame:
    """One row per point to draw: an event appears in each lane it belongs to."""
    if lanes == "actor":
        a = df.assign(lane=df["source"])
        b = df[df["target"] != df["source"]].assign(lane=df["target"])
        return pd.concat([a, b], ignore_index=True)
    if lanes == "pair":
        return df.assign(lane=df["pair"])
    return df.assign(lane=df["type"])


def _lane_order(points: pd.DataFrame, lanes: str) -> list[str]:
    if lanes == "type":
        present = set(points["lane"])
        return [t for t in EVENT_TYPES if t in present]
    counts = points["lane"].value_counts()
    return sorted(counts.index, key=lambda k: (-counts[k], k))


def _period_for(n_groups: dict[str, int]) -> str:
    for period in ("W", "M", "Y"):
        if n_groups[period] <= MAX_POINTS:
            return period
    return "Y"


def timeline(df: pd.DataFrame, lanes: str = "type", selected: str | None = None) -> tuple[go.Figure, str | None]:
    """The timeline of dated events in ``df``, and a note when events were grouped.

    Day-precision events are markers; week, month and year precision are drawn as a bar
    over their whole interval with a hollow marker at its middle. ``customdata[0]`` of
    each point is its event id.
    """
    dated = df.dropna(subset=["start"])
    fig = go.Figure()
    note = None
    if dated.empty:
        return _layout(fig, [], 300), None
    points = _lanes(dated, lanes)
    order = _lane_order(points, lanes)
    position = {lane: i for i, lane in enumerate(order)}
    if len(points) > MAX_POINTS:
        fig, note = _grouped(points, order, position)
        return _layout(fig, order, _height(order)), note
    points = points.copy()
    span = points["precision"].isin(["week", "month", "year"]) | points["date_end"].notna()
    mid = points["start"] + (points["end"] + pd.Timedelta(days=1) - points["start"]) / 2
    points["x"] = mid.where(span, points["start"])
    points["y"] = points["lane"].map(position).astype(float)
    # spread events on the same lane and day so none hides another
    rank = points.groupby(["lane", points["x"].dt.date]).cumcount()
    size = points.groupby(["lane", points["x"].dt.date])["id"].transform("count")
    points["y"] += ((rank - (size - 1) / 2) * 0.18).clip(-0.4, 0.4)
    points["hover"] = [hover_text(r) for _, r in points.iterrows()]
    for etype in EVENT_TYPES:
        sub = points[points["type"] == etype]
        if sub.empty:
            continue
        colour = TYPE_COLOURS[etype]
        spans = sub[span.loc[sub.index]]
        if not spans.empty:
            xs, ys = [], []
            for _, r in spans.iterrows():
                xs += [r["start"], r["end"] + pd.Timedelta(days=1), None]
                ys += [r["y"], r["y"], None]
            fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line={"color": colour, "width": 9}, opacity=0.35,
                                     hoverinfo="skip", showlegend=False, legendgroup=etype, name=etype))
        fig.add_trace(go.Scatter(
            x=sub["x"], y=sub["y"], mode="markers", name=etype, legendgroup=etype,
            marker={"color": colour, "size": 12, "symbol": ["circle-open" if s else "circle" for s in span.loc[sub.index]],
                    "line": {"width": 2.5, "color": colour}},
            customdata=list(zip(sub["id"], sub["precision"])),
            hovertext=sub["hover"], hovertemplate="%{hovertext}<extra></extra>",
            selectedpoints=None,
        ))
    if selected is not None and selected in set(points["id"]):
        sel = points[points["id"] == selected]
        fig.add_trace(go.Scatter(x=sel["x"], y=sel["y"], mode="markers", hoverinfo="skip", showlegend=False,
                                 marker={"size": 22, "color": "rgba(0,0,0,0)", "line": {"width": 2, "color": "#222"}}))
    return _layout(fig, order, _height(order)), note


def _grouped(points: pd.DataFrame, order: list[str], position: dict[str, int]) -> tuple[go.Figure, str]:
    starts = points["start"]
    groups = {p: points.groupby(["lane", "type", starts.dt.to_period(p)]).ngroups for p in ("W", "M", "Y")}
    period = _period_for(groups)
    word = {"W": "week", "M": "month", "Y": "year"}[period]
    g = points.assign(period=starts.dt.to_period(period)).groupby(["lane", "type", "period"]).size().reset_index(name="n")
    g["x"] = g["period"].dt.start_time
    g["y"] = g["lane"].map(position).astype(float)
    fig = go.Figure()
    biggest = max(int(g["n"].max()), 1)
    for etype in EVENT_TYPES:
        sub = g[g["type"] == etype]
        if sub.empty:
            continue
        hover = [f"<b>{n} {esc(etype)} event{'s' * (n != 1)}</b><br>{esc(lane)}, {word} of {x:%d %b %Y}"
                 for n, lane, x in zip(sub["n"], sub["lane"], sub["x"])]
        fig.add_trace(go.Scatter(
            x=sub["x"], y=sub["y"], mode="markers", name=etype,
            marker={"color": TYPE_COLOURS[etype], "size": 6 + 22 * (sub["n"] / biggest) ** 0.5, "opacity": 0.8},
            customdata=[[""] for _ in range(len(sub))], hovertext=hover, hovertemplate="%{hovertext}<extra></extra>",
        ))
    note = (f"{len(points):,} points are too many to draw one by one: they are grouped by {word} "
            f"(marker size = number of events). Narrow the filters to see single events and their quotes.")
    return fig, note


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
