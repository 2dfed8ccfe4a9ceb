"""Issue 18, item 7: the sidebar's alert plot covers the same hours as the
report's plot, on the real sample alert (P-3's trace replayed into its
bearing fault as ``make alerts`` does). Before, the sidebar drew only the
lead and the recent window, so the plot had a gap from the alert's start to
about 11 h that the report's did not have."""

from __future__ import annotations

import math
from datetime import datetime, timezone

import pytest

from assistant.alerts.report_plot import _series
from assistant.web import ui_render as render
from monitors.monitor import Monitor
from monitors.sources import CsvSource
from monitors.store import AlertStore
from tests.browser.conftest import PUMP_TRACE

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def sample_alert(tmp_path_factory):
    until = datetime(2024, 3, 15, tzinfo=timezone.utc).timestamp()
    monitor = Monitor(store=AlertStore(tmp_path_factory.mktemp("kb")))
    alert = None
    for reading in CsvSource(PUMP_TRACE):
        if reading.timestamp > until:
            break
        alert = monitor.process(reading) or alert
    assert alert is not None and alert.active
    return alert


def test_the_sidebar_plot_has_no_gap_the_report_plot_does_not_have(sample_alert):
    a = sample_alert
    report_hours = [(t - a.started) / 3600 for t, _ in _series(a)]
    fig = render.alert_figure(a)
    assert fig.axes
    for ax in fig.axes:
        xs = list(ax.lines[0].get_xdata())
        drawn = [x for x in xs if not math.isnan(x)]
        assert min(drawn) == pytest.approx(min(report_hours)) and max(drawn) == pytest.approx(max(report_hours))
        span = (a.updated - a.started) / 3600
        assert span > 11  # the alert has been open longer than the old gap
        inside = [x for x in xs if math.isnan(x) or 0 <= x <= span]
        assert not any(math.isnan(x) for x in inside), ax.get_title(loc="left")  # the line is not broken
        steps = [b - c for c, b in zip(drawn, drawn[1:]) if 0 <= c <= span]
        assert max(steps) < 2.0, max(steps)  # the thinned trail, no hours missing
