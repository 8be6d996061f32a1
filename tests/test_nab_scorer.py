"""The NAB scorer on hand-made cases."""

from datetime import datetime, timedelta

import pytest

from benchmarks.nab.run import decide
from benchmarks.nab.scorer import FileResult, probation_rows, score_corpus, score_file

T0 = datetime(2026, 1, 1)
TS = [T0 + timedelta(minutes=5 * i) for i in range(1000)]
WINDOW = [(TS[500], TS[549])]


def _flags(*rows):
    flags = [0] * len(TS)
    for r in rows:
        flags[r] = 1
    return flags


def test_null_detector_scores_0_and_perfect_detector_100():
    assert score_corpus([FileResult(TS, _flags(), WINDOW)]) == pytest.approx(0.0)
    assert score_corpus([FileResult(TS, _flags(500), WINDOW)]) == pytest.approx(100.0)
    assert score_file(FileResult(TS, _flags(500), WINDOW))[0] == pytest.approx(1.0)  # A_TP exactly


def test_a_detection_inside_a_window_scores_earlier_is_better_and_only_the_first_counts():
    early, _ = score_file(FileResult(TS, _flags(505), WINDOW))
    late, _ = score_file(FileResult(TS, _flags(545), WINDOW))
    twice, _ = score_file(FileResult(TS, _flags(505, 540), WINDOW))
    missed, _ = score_file(FileResult(TS, _flags(), WINDOW))
    assert early > late > missed == -1.0 and twice == early


def test_a_false_positive_just_after_a_window_costs_less_than_one_far_away():
    base, _ = score_file(FileResult(TS, _flags(500), WINDOW))
    near, _ = score_file(FileResult(TS, _flags(500, 555), WINDOW))
    far, _ = score_file(FileResult(TS, _flags(500, 900), WINDOW))
    before, _ = score_file(FileResult(TS, _flags(300, 500), WINDOW))
    assert base > near > far
    assert far == pytest.approx(base - 0.11) and before == pytest.approx(base - 0.11)


def test_probationary_detections_are_ignored():
    assert probation_rows(1000) == 150 and probation_rows(100_000) == 750
    base, _ = score_file(FileResult(TS, _flags(500), WINDOW))
    assert score_file(FileResult(TS, _flags(10, 149, 500), WINDOW))[0] == base
    assert score_file(FileResult(TS, _flags(150, 500), WINDOW))[0] < base


def test_profiles_weigh_misses_and_false_alarms_differently():
    missed = FileResult(TS, _flags(), WINDOW)
    assert score_file(missed, "reward_low_FN_rate")[0] == 2 * score_file(missed, "standard")[0]
    fp = FileResult(TS, _flags(300, 500), WINDOW)
    assert score_file(fp, "reward_low_FP_rate")[0] < score_file(fp, "standard")[0]


def test_normalisation_is_over_all_files_together():
    hit = FileResult(TS, _flags(500), WINDOW)
    miss = FileResult(TS, _flags(), WINDOW)
    assert score_corpus([hit, miss]) == pytest.approx(50.0)


def test_replayed_decisions_fire_once_per_refractory_period():
    assert decide([0.9] * 100, 0.5) == [1 if i in (0, 24, 48, 72, 96) else 0 for i in range(100)]
