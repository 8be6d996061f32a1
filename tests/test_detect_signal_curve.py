"""Series signals: the estimated onset, the curve with its expected band, campaigns that carry risk."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from monitio.cli.main import app
from monitio.detect.scan import CURVE_BASELINE_HOURS, scan_series
from monitio.detect.signals import CONTEXT_SEVERITY, _mark_partial, campaign_risk
from monitio.reports.curve_svg import curve_svg

START = datetime(2026, 9, 1, tzinfo=UTC)


def _planted(onset_back: int = 9, hours: int = 24 * 30) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(2)
    series = {f"q{i}": rng.poisson(4.0, hours).astype(float) for i in range(30)}
    loud = rng.poisson(4.0, hours).astype(float)
    loud[-onset_back:] += 30
    series["loud"] = loud
    return series


def test_first_seen_is_the_onset_not_the_start_of_the_scan_window():
    found = {f.key: f for f in scan_series(_planted(9), START, window_hours=72)}
    f = found["loud"]
    hours = 24 * 30
    assert f.onset == START + timedelta(hours=hours - 9)
    assert f.window_start <= f.onset <= f.window_end


def test_curve_covers_the_window_and_the_baseline_before_it():
    f = next(f for f in scan_series(_planted(9), START) if f.key == "loud")
    ts = [p["t"] for p in f.curve]
    assert ts == sorted(ts) and len(ts) == len(set(ts))
    first = datetime.fromisoformat(ts[0].replace("Z", "+00:00"))
    assert first == f.window_start - timedelta(hours=CURVE_BASELINE_HOURS)
    assert ts[-1] == (START + timedelta(hours=24 * 30 - 1)).isoformat().replace("+00:00", "Z")
    inside = [p for p in f.curve if p["t"] >= f.onset.isoformat().replace("+00:00", "Z")]
    assert all(p["observed"] > p["high"] for p in inside)  # 30 extra posts an hour: far above the band
    before = f.curve[:CURVE_BASELINE_HOURS]
    assert sum(p["low"] <= p["observed"] <= p["high"] for p in before) >= 0.9 * len(before)


def test_the_hour_still_filling_up_is_marked_partial():
    now = datetime(2026, 9, 3, 10, 20, tzinfo=UTC)
    curve = [{"t": "2026-09-03T09:00:00Z"}, {"t": "2026-09-03T10:00:00Z"}]
    assert _mark_partial(curve, now)[-1]["partial"] is True
    assert "partial" not in _mark_partial(curve, now + timedelta(hours=1))[-1]


def _campaign(**kw):
    t = datetime(2026, 1, 1, tzinfo=UTC)
    base = dict(
        categories=[], scam_kinds=[], fresh_authors=3, authors=40, burst_start=t, burst_end=t + timedelta(hours=4)
    )
    return SimpleNamespace(**{**base, **kw})


def test_campaign_risk_needs_risky_content_or_coordinated_accounts():
    assert campaign_risk(_campaign()) == (False, False)  # football chanting: 40 regulars over 4 h
    assert campaign_risk(_campaign(categories=["scam_ads"]))[0]
    assert campaign_risk(_campaign(scam_kinds=["impersonation"]))[0]
    assert campaign_risk(_campaign(fresh_authors=25))[1]  # mostly brand-new accounts
    t = datetime(2026, 1, 1, tzinfo=UTC)
    assert campaign_risk(_campaign(burst_start=t, burst_end=t + timedelta(minutes=40)))[1]  # tight timing
    assert CONTEXT_SEVERITY <= 3


def test_svg_escapes_text_and_marks_the_partial_hour():
    curve = [
        {"t": "2026-01-01T00:00:00Z", "observed": 3, "expected": 2, "low": 0, "high": 5},
        {"t": "2026-01-01T01:00:00Z<script>", "observed": 9, "expected": 2, "low": 0, "high": 5, "partial": True},
    ]
    svg = curve_svg(curve, title='"><script>alert(1)</script>')
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert 'role="img"' in svg and "aria-label=" in svg and "partial hour" in svg
    assert curve_svg([]) == ""


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(0, 1e6), st.floats(0, 1e6), st.floats(0, 1e6)),
        min_size=1,
        max_size=50,
    ),
    st.text(max_size=30),
)
def test_svg_renders_any_curve(points, title):
    curve = [
        {"t": f"2026-01-01T{i % 24:02d}:00:00Z", "observed": o, "expected": e, "low": min(e, h), "high": max(e, h)}
        for i, (o, e, h) in enumerate(points)
    ]
    svg = curve_svg(curve, title=title)
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "<" not in title or "&lt;" in svg


def test_detect_series_budget_option_caps_alarms(tmp_path):
    rng = np.random.default_rng(5)
    t0 = datetime(2026, 3, 2)
    src = tmp_path / "in.csv"
    with open(src, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["timestamp", "value"])
        for i in range(24 * 28):
            v = rng.poisson(5) + (60 if i % 97 == 50 and i > 150 else 0) + (rng.uniform() < 0.01) * rng.uniform(0, 50)
            w.writerow([(t0 + timedelta(hours=i)).isoformat(), float(int(v))])
    runner = CliRunner()
    counts = []
    for extra in ([], ["--budget", "0.5"]):
        out = tmp_path / f"out{len(extra)}.csv"
        res = runner.invoke(app, ["detect", "series", "--input", str(src), "--output", str(out), *extra])
        assert res.exit_code == 0, res.output
        with open(out) as fh:
            counts.append(sum(int(r["is_anomaly"]) for r in csv.DictReader(fh)))
    free, capped = counts
    assert free > 3
    assert capped <= 1 + 2  # a full bucket of one, then half a token a week over four weeks


def test_api_and_signal_page_carry_the_curve_and_the_detection_delay(ws):
    from sqlalchemy import update

    from monitio.store.schema import signals
    from tests.api_helpers import Api, seed_signal

    sid = seed_signal(ws)
    curve = [
        {"t": "2026-01-01T00:00:00Z", "observed": 3.0, "expected": 2.0, "low": 0.0, "high": 6.0},
        {"t": "2026-01-01T01:00:00Z", "observed": 40.0, "expected": 2.0, "low": 0.0, "high": 6.0, "partial": True},
    ]
    with ws.engine.begin() as conn:
        row = conn.execute(signals.select().where(signals.c.id == sid)).first()
        detected = (row.first_seen + timedelta(hours=2)).isoformat().replace("+00:00", "Z")
        conn.execute(
            update(signals).where(signals.c.id == sid).values(details={"curve": curve, "detected_at": detected})
        )
    api = Api(ws)
    got = api.client.get(f"/api/v1/signals/{sid}", headers=api.headers("analyst")).json()
    got = got.get("item", got)
    assert got["curve"] == curve and got["detected_at"] == detected and got["delay_hours"] == 2.0
    assert "curve" not in got["details"]
    from tests.test_web_forms import _login

    _login(api, "ana@example.org")
    page = api.client.get(f"/signals/{sid}").text
    assert 'id="signal-curve"' in page and "<svg" in page and "partial hour" in page
    assert "2.0 h later" in page


def test_brief_draws_the_curve_in_html_and_as_a_native_xlsx_chart(tmp_path):
    import zipfile

    from monitio.reports.html import render_html
    from monitio.reports.xlsx import write_xlsx
    from tests.test_reports import _brief

    brief = _brief()
    s = brief.signals[0]
    s.detected_at = s.first_seen + timedelta(hours=3)
    s.curve = [
        {"t": "2026-11-20T13:00:00Z", "observed": 10.0, "expected": 9.0, "low": 3.0, "high": 16.0},
        {"t": "2026-11-20T14:00:00Z", "observed": 90.0, "expected": 9.0, "low": 3.0, "high": 16.0},
        {"t": "2026-11-20T15:00:00Z", "observed": 40.0, "expected": 9.0, "low": 3.0, "high": 16.0, "partial": True},
    ]
    page = render_html(brief)
    assert page.count('<figure class="curve"><svg') == 1 and "3 h after it began" in page
    path = write_xlsx(brief, tmp_path / "b.xlsx")
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        assert b'name="Curves"' in z.read("xl/workbook.xml")
        charts = [n for n in names if n.startswith("xl/charts/chart")]
        assert len(charts) == 2  # the Trends chart and one curve
        assert any(z.read(c).count(b"<c:ser>") == 4 for c in charts)  # observed, expected, low, high
