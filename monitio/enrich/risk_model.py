"""Trainable, calibrated risk classifiers: one per category, trained on analyst labels.

Features (`RiskClassifier.features`):

- text: TF-IDF word 1-2-grams plus character 2-5-grams (within word boundaries, so scripts written
  without spaces still get useful features), sublinear term frequency;
- rules: which taxonomy categories and rules matched, and how many terms (`doc.categories`);
- indicators: counts per kind of `doc.indicators` (read generically: whatever kinds are present);
- the rule-based `risk_score`, and a few text shapes (links, long digit runs, capitals, length).

The model is a linear SVM (or, with `estimator="logreg"`, a logistic regression) calibrated with Platt
scaling over cross-validation folds (`CalibratedClassifierCV`), so `predict_proba` gives usable
probabilities.

Model files are **trusted workspace files**: they are pickles (joblib), and loading a pickle runs
code. Monitio only loads them from `<workspace>/models/risk/`, which only the workspace owner writes;
never copy a model file from somewhere you do not trust.

>>> from datetime import UTC, datetime
>>> from monitio.records import Post
>>> def doc(i, text):
...     return Doc(i, Post.create(source="t", source_id=str(i), text=text, published_at=datetime.now(UTC)))
>>> pos = [doc(i, f"win a free prize now, call {i}0000 today") for i in range(12)]
>>> neg = [doc(100 + i, f"lunch with the team at {i} pm") for i in range(12)]
>>> m = RiskClassifier().fit(pos + neg, [1] * 12 + [0] * 12)
>>> p = m.predict_proba([doc(1000, "free prize, call now"), doc(1001, "team lunch today")])
>>> bool(p[0] > 0.5 > p[1])
True
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from monitio.errors import Invalid
from monitio.records import Doc

MODEL_VERSION = 1
"""Bumped when the saved model layout changes; older files are refused with a message to retrain."""
MODELS_DIR = Path("models") / "risk"
"""Where a workspace keeps its risk models, relative to the workspace folder."""
MIN_PER_CLASS = 10
"""Labels needed of each class (yes and no) before a category's model is trained."""
DEFAULT_C = 3.0
"""Inverse regularisation strength of the linear model (chosen on the dev sets, see docs/evaluation.md)."""

_URL = re.compile(r"https?://|www\.|\b[\w-]+\.(?:com|net|org|ly|co|id|me|info|biz|xyz)\b", re.I)
_DIGIT = re.compile(r"\d")
_DIGITS = re.compile(r"\d{4,}")
_MONEY = re.compile(r"[$€£¥₹₱฿₫]|\b(?:rp|usd|idr|rs)\.?\s?\d", re.I)


class ModelError(Invalid):
    """A model file is missing, from another version, or there are not enough labels to train."""


def shape_features(text: str) -> dict[str, float]:
    """Text-shape features that spam and scams share across languages.

    >>> shape_features("CALL 08123456789 www.x.com")["digit_runs"]
    1.0
    """
    letters = [c for c in text if c.isalpha()]
    upper = sum(c.isupper() for c in letters)
    return {
        "links": float(len(_URL.findall(text))),
        "digit_runs": float(len(_DIGITS.findall(text))),
        "money": float(len(_MONEY.findall(text))),
        "upper_ratio": upper / len(letters) if letters else 0.0,
        "exclaim": min(5.0, float(text.count("!"))),
        "log_len": math.log1p(len(text)) / 5,
    }


def rule_features(doc: Doc) -> dict[str, float]:
    """Rule, indicator and risk-score features of an enriched doc (any indicator kind is accepted).

    >>> from monitio.records import CategoryHit, Post
    >>> d = Doc(1, Post.create(source="s", source_id="1", text="x", published_at=datetime.now(UTC)))
    >>> d.categories = {"scam_ads": CategoryHit("scam_ads", "scam_ads.en", ["scam", "fake"])}
    >>> d.indicators, d.risk_score = {"phone": ["+6281"]}, 0.5
    >>> f = rule_features(d)
    >>> f["cat=scam_ads"], f["rule=scam_ads.en"], f["n_terms"], f["ind=phone"], f["risk_score"]
    (1.0, 1.0, 2.0, 1.0, 0.5)
    """
    f: dict[str, float] = {"risk_score": float(doc.risk_score), "n_categories": float(len(doc.categories))}
    f["n_terms"] = float(sum(len(h.terms) for h in doc.categories.values()))
    for cat, hit in doc.categories.items():
        f[f"cat={cat}"] = 1.0
        if hit.rule:
            f[f"rule={hit.rule}"] = 1.0
    indicators = getattr(doc, "indicators", None) or {}
    for kind, values in indicators.items():
        if values:
            f[f"ind={kind}"] = float(len(values))
    f["n_indicators"] = float(sum(len(v) for v in indicators.values()))
    return f


@dataclass
class RiskClassifier:
    """Calibrated linear classifier on text + rule + indicator features (`fit` returns self)."""

    C: float = DEFAULT_C
    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] = (2, 5)
    dense_weight: float = 0.25
    """Scale of the rule, indicator and shape features next to the TF-IDF blocks (chosen on the dev sets)."""
    calibration: str = "sigmoid"
    estimator: str = "svm"
    """`svm` (linear SVM, Platt-scaled) or `logreg` (logistic regression, Platt-scaled)."""
    class_weight: str | None = "balanced"
    fold_digits: bool = True
    """Text features see every digit as 0, so phone numbers, codes and amounts share n-grams."""

    def config(self) -> dict[str, Any]:
        """The feature and model settings, saved with the model."""
        return {
            "C": self.C,
            "word_ngrams": list(self.word_ngrams),
            "char_ngrams": list(self.char_ngrams),
            "dense_weight": self.dense_weight,
            "calibration": self.calibration,
            "estimator": self.estimator,
            "class_weight": self.class_weight,
            "fold_digits": self.fold_digits,
            "features": ["tfidf word", "tfidf char_wb", "rules", "indicators", "risk_score", "shape"],
        }

    def _dense(self, docs: list[Doc]) -> list[dict[str, float]]:
        rows = []
        for d in docs:
            f = rule_features(d)
            f.update({f"shape:{k}": v for k, v in shape_features(d.text).items()})
            rows.append({k: (math.log1p(v) if k.startswith(("ind=", "n_")) else v) for k, v in f.items()})
        return rows

    def features(self, docs: list[Doc], *, fit: bool = False):
        """The sparse feature matrix of `docs` (fits the vocabularies when `fit`)."""
        from scipy.sparse import hstack
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.feature_extraction.text import TfidfVectorizer

        texts = [_DIGIT.sub("0", d.text.lower()) if self.fold_digits else d.text.lower() for d in docs]
        dense = self._dense(docs)
        if fit:
            self.word_ = TfidfVectorizer(
                analyzer="word", ngram_range=self.word_ngrams, token_pattern=r"(?u)\b\w+\b", sublinear_tf=True
            )
            self.char_ = TfidfVectorizer(analyzer="char_wb", ngram_range=self.char_ngrams, sublinear_tf=True)
            self.dict_ = DictVectorizer()
            parts = [self.word_.fit_transform(texts), self.char_.fit_transform(texts), self.dict_.fit_transform(dense)]
        else:
            parts = [self.word_.transform(texts), self.char_.transform(texts), self.dict_.transform(dense)]
        parts[2] = parts[2] * self.dense_weight
        return hstack(parts).tocsr()

    def fit(self, docs: list[Doc], y: list[int] | np.ndarray) -> RiskClassifier:
        """Fit on enriched docs and 0/1 targets; needs at least 2 of each class."""
        from sklearn.calibration import CalibratedClassifierCV
        from sklearn.linear_model import LogisticRegression
        from sklearn.svm import LinearSVC

        y = np.asarray(y, dtype=int)
        smallest = int(min((y == 0).sum(), (y == 1).sum()))
        if smallest < 2:
            raise ModelError("need at least 2 examples of each class to train")
        x = self.features(docs, fit=True)
        if self.estimator == "svm":
            base = LinearSVC(C=self.C, class_weight=self.class_weight)
        elif self.estimator == "logreg":
            base = LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=5000, solver="liblinear")
        else:
            raise ModelError(f"unknown estimator {self.estimator!r}; use svm or logreg")
        self.model_ = CalibratedClassifierCV(base, method=self.calibration, cv=min(5, smallest)).fit(x, y)
        return self

    def predict_proba(self, docs: list[Doc]) -> np.ndarray:
        """Probability of the risk class for each doc, in [0, 1]."""
        if not docs:
            return np.zeros(0)
        return self.model_.predict_proba(self.features(docs))[:, 1]


def models_dir(workspace: Path | str) -> Path:
    """The folder of a workspace's risk models."""
    return Path(workspace) / MODELS_DIR


def save_model(workspace: Path | str, category: str, model: RiskClassifier, meta: dict[str, Any]) -> Path:
    """Write `<workspace>/models/risk/<category>.joblib` with the version and metadata; returns the path."""
    import joblib

    if not re.fullmatch(r"[\w.-]{1,80}", category):
        raise ModelError(f"category name {category!r} cannot be a file name")
    folder = models_dir(workspace)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{category}.joblib"
    payload = {
        "version": MODEL_VERSION,
        "category": category,
        "created_at": datetime.now(UTC).isoformat(),
        "feature_config": model.config(),
        **meta,
        "model": model,
    }
    tmp = path.with_suffix(".joblib.tmp")
    joblib.dump(payload, tmp)
    tmp.replace(path)
    return path


def load_models(workspace: Path | str) -> dict[str, dict[str, Any]]:
    """Every model of a workspace by category: the saved payload (`model`, `created_at`, metrics...).

    Model files are trusted workspace files (pickles); see the module docstring.
    """
    import joblib

    found: dict[str, dict[str, Any]] = {}
    folder = models_dir(workspace)
    if not folder.is_dir():
        return found
    for path in sorted(folder.glob("*.joblib")):
        payload = joblib.load(path)  # trusted: written by `monitio train risk` into this workspace
        if not isinstance(payload, dict) or payload.get("version") != MODEL_VERSION:
            raise ModelError(f"{path} was saved by another Monitio version; retrain with: monitio train risk")
        found[payload["category"]] = payload
    return found


def has_models(workspace: Path | str | None) -> bool:
    """True when the workspace holds at least one risk model file."""
    return workspace is not None and any(models_dir(workspace).glob("*.joblib"))


class RiskModelStage:
    """Writes each category model's probability into `doc.model_scores` (runs after the rule stages)."""

    name = "risk_model"

    def __init__(self, models: dict[str, RiskClassifier]):
        self.models = models

    @classmethod
    def from_workspace(cls, workspace: Path | str) -> RiskModelStage:
        return cls({cat: payload["model"] for cat, payload in load_models(workspace).items()})

    def process(self, docs: list[Doc]) -> None:
        if not docs:
            return
        for cat, model in self.models.items():
            for d, p in zip(docs, model.predict_proba(docs), strict=True):
                d.model_scores[cat] = round(float(p), 4)
