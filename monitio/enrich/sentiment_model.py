"""Adapted sentiment: a model trained on labelled posts, stacked on the zero-shot lexicon evidence.

Level 1 is three linear SVMs, one per view of the text: TF-IDF character 1-5-grams, word 1-2-grams
(Chinese segmented into words by jieba, Korean into morphemes by Kiwi, see `words`),
and character 1-5-grams of the canonically decomposed text (NFD: Hangul syllables split into jamo,
Vietnamese letters and their tone marks apart), so each view gets its own weight. Level 2 is a
logistic regression over the level-1 decision values (out-of-fold on the training set, so they are
honest) plus the lexicon evidence of `SentimentScorer` (score, positive and negative evidence,
zero-shot label) and a few surface cues (a contrast word, length, '!', '?', emoji): the stacking
learns how far to trust the lexicons per data set, which a single model over both kinds of features
does not (its n-gram weights fit the training rows and drown the lexicon).

Saved models live in `<workspace>/models/sentiment.joblib`; `SentimentStage` uses one for the
languages it covers and the lexicons otherwise.

>>> from monitio.enrich.sentiment import Sentiment
>>> pos, neg = Sentiment(0.5, "positive", 2.0, 0.0), Sentiment(-0.5, "negative", 0.0, 2.0)
>>> texts = ["good good", "bad bad", "so good", "very bad", "good one", "bad one"] * 3
>>> m = AdaptedSentiment(folds=3).fit(texts, ["p", "n"] * 9, [pos, neg] * 9)
>>> m.predict(["good day", "bad day"], [pos, neg])
['p', 'n']
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from monitio.enrich.sentiment import Sentiment, turns
from monitio.enrich.textnorm import EMOJI_RE, fold

MODEL_FILE = Path("models") / "sentiment.joblib"
MIN_LANG_ROWS = 30
"""A language is covered by a trained model when at least this many training rows are in it."""


def evidence_matrix(evidence: Sequence[Sentiment]) -> np.ndarray:
    """The zero-shot lexicon evidence as dense features (one row per text).

    >>> evidence_matrix([Sentiment(0.5, "positive", 2.0, 0.0)]).round(2).tolist()
    [[0.5, 0.58, 0.0, 1.0, 0.0, 0.0]]
    """
    return np.array(
        [
            [
                e.score,
                np.tanh(e.positive / 3),
                np.tanh(e.negative / 3),
                float(e.label == "positive"),
                float(e.label == "negative"),
                np.tanh(min(e.positive, e.negative) / 2),
            ]
            for e in evidence
        ],
        dtype=float,
    ).reshape(len(evidence), 6)


def cue_matrix(texts: Sequence[str]) -> np.ndarray:
    """Surface cues as dense features: a contrast word, log length, '!', '?' and emoji (capped at 3).

    >>> cue_matrix(["great but slow!!"]).round(2).tolist()
    [[1.0, 0.57, 0.67, 0.0, 0.0]]
    """
    return np.array(
        [
            [
                float(turns(t)),
                np.log1p(len(t)) / 5,
                min(t.count("!"), 3) / 3,
                min(t.count("?"), 3) / 3,
                min(len(EMOJI_RE.findall(t)), 3) / 3,
            ]
            for t in texts
        ],
        dtype=float,
    ).reshape(len(texts), 5)


def decomposed(text: str) -> str:
    """Folded text in NFD (Hangul syllables as jamo, base letters apart from their marks).

    >>> len(decomposed("좋다")), decomposed("Tốt") == "tốt"
    (5, False)
    """
    return unicodedata.normalize("NFD", fold(text))


_WORD_RE = re.compile(r"(?u)\b\w+\b")
_HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_HANGUL_RE = re.compile(r"[\uac00-\ud7a3]")


@functools.cache
def _jieba():
    """jieba's `lcut` (Chinese words, bundled dictionary), or None when jieba is not installed."""
    try:
        import jieba
    except ImportError:
        return None
    jieba.setLogLevel(logging.WARNING)
    return jieba.lcut


@functools.cache
def _kiwi():
    """Kiwi's morpheme analyser (Korean, bundled model), or None when kiwipiepy is not installed."""
    try:
        from kiwipiepy import Kiwi
    except ImportError:
        return None
    return Kiwi()


@functools.lru_cache(maxsize=100_000)
def _segmented(text: str) -> tuple[str, ...]:
    return tuple(_words(text))


def words(text: str) -> list[str]:
    """`_words`, remembered per text (segmenting Korean and Chinese is most of a fit's cost, and cross-validation
    segments every text many times).

    >>> words("the plot, not the cast")
    ['the', 'plot', 'not', 'the', 'cast']
    """
    return list(_segmented(text))


def _words(text: str) -> list[str]:
    """Word tokens for the word view: Chinese segmented by jieba, Korean split into morphemes by Kiwi
    (stems apart from particles and endings), other scripts as runs of word characters. Without the
    segmenter installed a script falls back to the plain runs.

    >>> words("the plot, not the cast")
    ['the', 'plot', 'not', 'the', 'cast']
    """
    if _HAN_RE.search(text) and (cut := _jieba()) is not None:
        return [w for w in cut(text) if _WORD_RE.search(w)]
    if _HANGUL_RE.search(text) and (kiwi := _kiwi()) is not None:
        return [t.form for t in kiwi.tokenize(text) if _WORD_RE.search(t.form)]
    return _WORD_RE.findall(text)


VIEWS = ("char", "word", "nfd")
"""The level-1 views, simplest first: character n-grams, words, character n-grams of the decomposed text."""


def _views(names: Sequence[str] = VIEWS):
    """One TF-IDF vectorizer per level-1 model, for the named views."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    make = {
        "char": lambda: TfidfVectorizer(
            analyzer="char", ngram_range=(1, 5), sublinear_tf=True, preprocessor=fold, max_df=0.9
        ),
        "word": lambda: TfidfVectorizer(
            analyzer="word",
            ngram_range=(1, 2),
            sublinear_tf=True,
            preprocessor=fold,
            tokenizer=words,
            token_pattern=None,
        ),
        "nfd": lambda: TfidfVectorizer(
            analyzer="char", ngram_range=(1, 5), sublinear_tf=True, preprocessor=decomposed, max_df=0.9
        ),
    }
    return [make[n]() for n in names]


def _decision(svm, matrix) -> np.ndarray:
    d = svm.decision_function(matrix)
    return d[:, None] if d.ndim == 1 else d


class AdaptedSentiment:
    """Stacked sentiment classifier (`fit` returns self; fitted attributes end in `_`)."""

    def __init__(
        self, C: float = 0.5, meta_C: float = 1.0, folds: int = 5, seed: int = 0, views: Sequence[str] = VIEWS
    ):
        self.C, self.meta_C, self.folds, self.seed, self.views = C, meta_C, folds, seed, tuple(views)

    def _level1(self, texts: np.ndarray) -> np.ndarray:
        return np.hstack([_decision(svm, vec.transform(texts)) for vec, svm in self.views_])

    @staticmethod
    def _level2(level1: np.ndarray, texts: Sequence[str], evidence: Sequence[Sentiment]) -> np.ndarray:
        return np.hstack([level1, evidence_matrix(evidence), cue_matrix(texts)])

    def fit(self, texts: Sequence[str], labels: Sequence[str], evidence: Sequence[Sentiment]) -> AdaptedSentiment:
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import StratifiedKFold
        from sklearn.svm import LinearSVC

        x, y = np.array(list(texts), dtype=object), np.array(list(labels))
        self.classes_ = sorted(set(labels))
        k = min(self.folds, min(Counter(labels).values()))
        folds = list(StratifiedKFold(k, shuffle=True, random_state=self.seed).split(x, y)) if k >= 2 else []
        self.views_, oof = [], []
        for vec in _views(getattr(self, "views", VIEWS)):
            # The vectorizer is fitted once on all training rows (unsupervised); the SVM's out-of-fold
            # decisions come from the inner folds.
            matrix = vec.fit_transform(x)
            svm = LinearSVC(C=self.C).fit(matrix, y)
            d = _decision(svm, matrix)
            for tr, te in folds:
                d[te] = _decision(LinearSVC(C=self.C).fit(matrix[tr], y[tr]), matrix[te])
            self.views_.append((vec, svm))
            oof.append(d)
        self.meta_ = LogisticRegression(C=self.meta_C, max_iter=2000).fit(
            self._level2(np.hstack(oof), list(x), evidence), y
        )
        return self

    def _features(self, texts: Sequence[str], evidence: Sequence[Sentiment]) -> np.ndarray:
        x = np.array(list(texts), dtype=object)
        if "views_" not in self.__dict__:  # a model saved before the three views: one SVM, lexicon evidence only
            from scipy import sparse

            vecs, svm = self.text_model_
            d = _decision(svm, sparse.hstack([v.transform(x) for v in vecs]).tocsr())
            return np.hstack([d, evidence_matrix(evidence)])
        return self._level2(self._level1(x), list(x), evidence)

    def predict(self, texts: Sequence[str], evidence: Sequence[Sentiment]) -> list[str]:
        """One label per text (`evidence`: the zero-shot `Sentiment` of each text)."""
        if not texts:
            return []
        return [str(x) for x in self.meta_.predict(self._features(texts, evidence))]

    def predict_scores(self, texts: Sequence[str], evidence: Sequence[Sentiment]) -> list[tuple[str, float]]:
        """(label, score) per text; the score is P(positive) - P(negative), in [-1, 1]."""
        if not texts:
            return []
        proba = self.meta_.predict_proba(self._features(texts, evidence))
        cls = list(self.meta_.classes_)
        pos = proba[:, cls.index("positive")] if "positive" in cls else np.zeros(len(texts))
        neg = proba[:, cls.index("negative")] if "negative" in cls else np.zeros(len(texts))
        return [(str(cls[i]), round(float(p - n), 4)) for i, p, n in zip(proba.argmax(axis=1), pos, neg, strict=True)]


@dataclass
class SavedSentimentModel:
    """A trained model and what it was trained on."""

    model: AdaptedSentiment
    languages: list[str]
    labels: list[str]
    rows: int
    cv_macro_f1: float | None = None
    created_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))

    def metadata(self) -> dict:
        return {
            "languages": self.languages,
            "labels": self.labels,
            "rows": self.rows,
            "cv_macro_f1": self.cv_macro_f1,
            "created_at": self.created_at,
        }


def covered_languages(langs: Sequence[str | None], min_rows: int = MIN_LANG_ROWS) -> list[str]:
    """Detected languages with at least `min_rows` rows.

    >>> covered_languages(["id"] * 30 + ["en"] * 5)
    ['id']
    """
    return sorted(lang for lang, n in Counter(x for x in langs if x and x != "und").items() if n >= min_rows)


def save_model(saved: SavedSentimentModel, workspace: Path) -> Path:
    import joblib

    path = Path(workspace) / MODEL_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump(saved, path)
    return path


def load_model(workspace: Path | None) -> SavedSentimentModel | None:
    """The workspace's trained sentiment model, or None when there is none."""
    if workspace is None or not (Path(workspace) / MODEL_FILE).exists():
        return None
    import joblib

    return joblib.load(Path(workspace) / MODEL_FILE)
