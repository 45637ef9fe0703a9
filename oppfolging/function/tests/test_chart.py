"""The server-rendered PSFS chart: an image with a text alternative, one thick line for the mean
and thin lines per activity that differ by more than colour, and every text escaped."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

from django.utils.safestring import SafeString

from oppfolging.function.chart import Line, build_chart

DAYS = [datetime.date(2026, 1, 5), datetime.date(2026, 3, 2), datetime.date(2026, 5, 4)]
SVG = "{http://www.w3.org/2000/svg}"


def _chart(lines, dates=DAYS, **kwargs):
    return build_chart(
        dates=dates,
        date_labels=[d.strftime("%d.%m.%Y") for d in dates],
        lines=lines,
        title=kwargs.pop("title", "PSFS for Per"),
        description=kwargs.pop("description", "Gjennomsnittet gikk fra 3 til 4,67."),
        **kwargs,
    )


def _parse(svg: str) -> ET.Element:
    # The markup carries no namespace declaration of its own inside HTML; add it to parse.
    return ET.fromstring(svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1))  # noqa: S314 - our own markup


def test_the_chart_is_an_image_with_a_title_and_a_description():
    chart = _chart([Line("Gjennomsnitt", [3, 3.33, 4.67], is_mean=True), Line("Gå tur", [2, 3, 5])])
    root = _parse(chart.svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "psfs-chart-title psfs-chart-desc"
    assert root.findtext(f"{SVG}title") == "PSFS for Per"
    assert root.findtext(f"{SVG}desc", "").startswith("Gjennomsnittet")
    polylines = root.findall(f"{SVG}polyline")
    assert [p.get("class") for p in polylines] == ["app-chart__line app-chart__line--0", "app-chart__mean"]
    assert polylines[0].get("stroke-dasharray")  # not told apart by colour alone
    mean_points = polylines[1].get("points", "").split()
    assert len(mean_points) == 3
    # The x axis: dates in order from left to right, the y axis from 0 (bottom) to 10 (top).
    xs = [float(p.split(",")[0]) for p in mean_points]
    ys = [float(p.split(",")[1]) for p in mean_points]
    assert xs == sorted(xs)
    assert ys[0] > ys[2]  # 3 is drawn lower than 4.67
    labels = [t.text for t in root.findall(f"{SVG}text")]
    assert {"0", "10", "05.01.2026", "04.05.2026"} <= set(labels)
    assert [label for label, _sample in chart.legend] == ["Gjennomsnitt", "Gå tur"]


def test_every_text_is_escaped():
    evil = '<script>alert("x")</script>'
    chart = _chart([Line(evil, [1, 2, 3])], title=evil, description=evil)
    assert "<script>" not in chart.svg
    assert "&lt;script&gt;" in chart.svg
    # The legend's labels are plain text: the template escapes them.
    assert not any(isinstance(label, SafeString) for label, _sample in chart.legend)
    _parse(chart.svg)  # still well-formed


def test_a_single_measurement_is_drawn_in_the_middle():
    chart = _chart([Line("Gjennomsnitt", [5], is_mean=True)], dates=DAYS[:1])
    root = _parse(chart.svg)
    (point,) = root.findall(f"{SVG}circle")
    assert 150 < float(point.get("cx", "0")) < 250


def test_a_line_breaks_where_an_activity_was_not_scored():
    chart = _chart([Line("Ny aktivitet", [None, 4, None]), Line("Gammel", [2, None, 6])])
    root = _parse(chart.svg)
    points = [p.get("points", "") for p in root.findall(f"{SVG}polyline")]
    assert [len(p.split()) for p in points] == [1, 1, 1]
