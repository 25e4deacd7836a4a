# SPDX-License-Identifier: Apache-2.0
"""Indicators.to_frame (pandas) and Indicators.plot (matplotlib): the months' indicators,
drawn as the library computes them; pandas and matplotlib imported only when called."""
import datetime as dt
import os
import subprocess
import sys

import pytest

import cpw
from cpw import _charts

HERE = os.path.dirname(os.path.abspath(__file__))
PKG_ROOT = os.path.dirname(HERE)
SW = {"actor": "sw-1", "role": "social_worker"}


@pytest.fixture(scope="module")
def registry():
    """A year: an infant home emptying, children placed in families, some moves and exits."""
    reg = cpw.Policy.default().registry()
    for n in range(12):
        reg.add_child("IH-%02d" % n, "2021-0%d-15" % (1 + n % 9))
        reg.place("IH-%02d" % n, "2024-12-31", facility="tbilisi_infant_house", existing=True,
                  **SW)
    for n in range(6):
        reg.end("IH-%02d" % n, dt.date(2025, 1 + 2 * n, 10), ["reunified", "adopted"][n % 2],
                **SW)
    for n in range(6, 9):
        reg.move("IH-%02d" % n, dt.date(2025, 3 + n, 1), setting="foster_care", region="Tbilisi",
                 **SW)
    for n in range(10):
        reg.add_child("F-%02d" % n, "2012-05-05")
        reg.place("F-%02d" % n, dt.date(2025, 1 + n, 20),
                  setting=["kinship", "small_group_home"][n % 2], region="Tbilisi", **SW)
    return reg


def test_parts_are_months_then_years():
    p, yearly = _charts.parts(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert not yearly and len(p) == 12
    assert p[0] == (dt.date(2025, 1, 1), dt.date(2025, 1, 31))
    assert p[1] == (dt.date(2025, 2, 1), dt.date(2025, 2, 28)) and p[-1][1] == dt.date(2025, 12, 31)
    p, yearly = _charts.parts(dt.date(2025, 3, 10), dt.date(2025, 4, 20))
    assert p == [(dt.date(2025, 3, 10), dt.date(2025, 3, 31)),
                 (dt.date(2025, 4, 1), dt.date(2025, 4, 20))]
    p, yearly = _charts.parts(dt.date(2022, 7, 1), dt.date(2025, 6, 30))  # 36 months
    assert not yearly and len(p) == 36
    p, yearly = _charts.parts(dt.date(2022, 7, 1), dt.date(2025, 7, 1))   # 37: by year
    assert yearly and p == [(dt.date(2022, 7, 1), dt.date(2022, 12, 31)),
                            (dt.date(2023, 1, 1), dt.date(2023, 12, 31)),
                            (dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
                            (dt.date(2025, 1, 1), dt.date(2025, 7, 1))]
    assert _charts.parts(dt.date(2025, 5, 5), dt.date(2025, 5, 5))[0] == \
        [(dt.date(2025, 5, 5), dt.date(2025, 5, 5))]


def test_to_frame_is_each_months_indicators(registry):
    pd = pytest.importorskip("pandas", reason="pandas is not installed (Debian: python3-pandas)")
    ind = registry.indicators("2025-01-01", "2025-12-31")
    frame = ind.to_frame()
    assert isinstance(frame, pd.DataFrame) and len(frame) == 12
    assert frame.index.name == "period_end"
    assert list(frame.columns[:2]) == ["period_start", "placed_at_end"]
    for end, row in frame.iterrows():
        month = registry.indicators(row["period_start"].date(), end.date())
        for k, v in month.summary.items():
            if k not in ("start", "end"):
                assert row[k] == v, (end, k)
    # the months' own residential counts are the year's monthly series
    assert [int(v) for v in frame["residential_at_end"]] == [n for _, n in ind.series]
    assert frame["placed_at_end"].iloc[-1] == ind.placed_at_end
    assert frame["entries"].sum() == ind.entries and frame["exits"].sum() == ind.exits
    assert len(registry.indicators("2021-01-01", "2025-12-31").to_frame()) == 5  # by year


def test_plot_draws_the_indicators(registry, tmp_path):
    pytest.importorskip("matplotlib", reason="matplotlib is not installed "
                                             "(Debian: python3-matplotlib)")
    pytest.importorskip("pandas", reason="pandas is not installed (Debian: python3-pandas)")
    ind = registry.indicators("2025-01-01", "2025-12-31", region="Tbilisi")
    frame = ind.to_frame()
    fig = ind.plot()
    care, share, flows, stay = fig.axes[:4]
    # the columns: each category's bars are the months' figures, stacked
    for cat in ("residential", "family_type", "family"):
        bars = [p for p in care.patches if p.get_gid() == "in_care:" + cat]
        assert [p.get_height() for p in bars] == list(frame[cat + "_at_end"])
    tops = [max(p.get_y() + p.get_height() for p in care.patches if abs(p.get_x() + p.get_width()
            / 2 - k) < 0.01) for k in range(12)]
    assert tops == list(frame["placed_at_end"])
    line = [ln for ln in share.lines if ln.get_gid() == "share"][0]
    assert list(line.get_ydata()) == pytest.approx(list(frame["family_share"] * 100))
    # entries and exits by setting and reason
    settings = [t.get_text().replace(" ", "_") for t in flows.get_yticklabels()]
    entries = [p.get_width() for p in flows.patches if p.get_gid() == "entries"]
    assert entries == [ind.entries_by_setting[s] for s in settings]
    for reason in cpw.EXIT_REASONS:
        bars = [p.get_width() for p in flows.patches if p.get_gid() == "exits:" + reason]
        if any(ind.exits_by_setting[s][reason] for s in settings):
            assert bars == [ind.exits_by_setting[s][reason] for s in settings]
        else:
            assert bars == []
    heights = [p.get_height() for p in stay.patches if p.get_gid() == "stay"]
    assert heights == [m if e else 0 for m, e in zip(frame["median_stay_days"], frame["exits"])]
    # what a chart says: title with period and region, units, legend, definition and source
    for ax, unit in ((care, "children"), (share, "% of children in care"), (stay, "days")):
        assert ax.get_ylabel() == unit and ax.get_legend() is not None
    assert flows.get_xlabel() == "placements"
    for ax in (care, share, flows, stay):
        assert "2025-01-01 to 2025-12-31" in ax.get_title(loc="left")
        assert "Region: Tbilisi" in ax.get_title(loc="left")
        notes = " ".join(" ".join(t.get_text() for t in ax.texts).split())  # wrapped lines
        assert "Definition: " in notes and "Source: " in notes and "Policy: georgia" in notes
    out = tmp_path / "di.png"
    fig.savefig(str(out), dpi=50)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_pandas_and_matplotlib_imported_only_when_called():
    code = """
import sys
import cpw
reg = cpw.Policy.default().registry()
ind = reg.indicators("2025-01-01", "2025-03-31")
ind.table(); ind.to_dict()
assert "matplotlib" not in sys.modules and "pandas" not in sys.modules, "imported early"
import importlib.util
if not importlib.util.find_spec("pandas") or not importlib.util.find_spec("matplotlib"):
    sys.exit(0)
ind.to_frame()
assert "matplotlib" not in sys.modules
ind.plot()
assert "matplotlib" in sys.modules and "matplotlib.pyplot" not in sys.modules
print("ok")
"""
    env = dict(os.environ, PYTHONPATH=PKG_ROOT)
    r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_example_draws_the_year(tmp_path):
    pytest.importorskip("matplotlib", reason="matplotlib is not installed")
    pytest.importorskip("pandas", reason="pandas is not installed")
    out = tmp_path / "year.png"
    env = dict(os.environ, PYTHONPATH=PKG_ROOT)
    r = subprocess.run([sys.executable, "di_charts.py", str(out)], cwd=os.path.join(
        PKG_ROOT, "examples"), env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "2025-12-31" in r.stdout and "charts: " + str(out) in r.stdout
    assert out.stat().st_size > 10000
