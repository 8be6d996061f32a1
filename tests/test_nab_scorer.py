"""The NAB scorer on hand-made cases."""

from datetime import datetime, timedelta

from benchmarks.nab.scorer import FileResult, score_corpus, score_file

T0 = datetime(2026, 1, 1)
TS = [T0 + timedelta(hours=i) for i in range(1000)]
WINDOW = [(TS[500], TS[549])]


def _flags(*rows):
    flags = [0] * len(TS)
    for r in rows:
        flags[r] = 1
    return flags


def test_null_and_perfect_normalise_to_0_and_100():
    null = FileResult(TS, _flags(), WINDOW)
    assert round(score_corpus([null]), 6) == 0.0
    assert round(score_corpus([FileResult(TS, _flags(500), WINDOW)]), 6) == 100.0


def test_earlier_detection_scores_more_and_only_the_first_counts():
    early, _ = score_file(FileResult(TS, _flags(505), WINDOW))
    late, _ = score_file(FileResult(TS, _flags(545), WINDOW))
    twice, _ = score_file(FileResult(TS, _flags(505, 540), WINDOW))
    assert early > late > 0 and twice == early


def test_false_positives_cost_more_far_from_a_window_and_probation_is_ignored():
    near, _ = score_file(FileResult(TS, _flags(500, 555), WINDOW))
    far, _ = score_file(FileResult(TS, _flags(500, 900), WINDOW))
    base, _ = score_file(FileResult(TS, _flags(500), WINDOW))
    assert base > near > far
    assert score_file(FileResult(TS, _flags(10, 500), WINDOW))[0] == base  # row 10 is in the probation period


def test_profiles_weigh_misses_and_false_alarms_differently():
    missed = FileResult(TS, _flags(), WINDOW)
    assert score_file(missed, "reward_low_FN_rate")[0] == 2 * score_file(missed, "standard")[0]
    fp = FileResult(TS, _flags(300, 500), WINDOW)
    assert score_file(fp, "reward_low_FP_rate")[0] < score_file(fp, "standard")[0]
