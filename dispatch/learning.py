"""What the dispatch model learns and how it ranks categories: plain functions over texts and
labels, without the ORM, so they are tested and benchmarked as such.

Two kinds of ranker answer the same question (``scores(texts)`` → one row of 0..1 scores per
text, one column per category id in ``classes``):

* ``learned``: character n-gram TF-IDF (1–3 characters within words: Chinese needs no word
  segmenter) and a linear model trained with the logistic loss by stochastic gradient descent
  (probabilities per category, fitted in about a second on a county's year), on the county's
  own requests. Each category's name and its group's name are added as short extra
  documents, so every active category is known to the model, even one with no request yet.
* ``keywords``: the fallback when the history is too short: the cosine similarity between the
  text and each category's name with its group's name, over the same character n-grams.

A fitted ranker is stored as bytes (joblib) with an HMAC-SHA256 over them keyed from
``SECRET_KEY``; ``unpack`` checks it before anything is unpickled.
"""

from __future__ import annotations

import hmac
import io
import re
import unicodedata
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import joblib
import numpy as np
from django.utils.crypto import salted_hmac
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import SGDClassifier

KIND_LEARNED = "learned"
KIND_KEYWORDS = "keywords"

#: Regularisation of the linear model: weak enough to learn each category's phrases, strong
#: enough not to learn one writer's wording by heart (chosen on the demo's history, scored on
#: requests worded by someone else).
ALPHA = 1e-4
#: How many times each category's names count as a request in the learned model.
NAME_WEIGHT = 2.0
_SIGNING_SALT = "minqing.dispatch.model"
_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")


class TamperedModel(Exception):
    """The stored model's bytes do not match their signature: they are never unpickled."""


def normalise(text: str) -> str:
    """Full-width forms to half-width, lower case, every number one token ("3栋" ~ "12栋")."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    text = _DIGITS.sub("0", text)
    return _SPACES.sub(" ", text).strip()


def compact(text: str) -> str:
    """``normalise`` without spaces: names are matched character by character."""
    return normalise(text).replace(" ", "")


def _vectorizer() -> TfidfVectorizer:
    return TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=(1, 3),
        sublinear_tf=True,
        preprocessor=normalise,
        dtype=np.float32,
    )


@dataclass(frozen=True)
class CategoryName:
    """What the fallback and the learned model know of a category: its id and names."""

    id: int
    name: str
    group: str = ""

    @property
    def document(self) -> str:
        return f"{self.name} {self.group}".strip()


class LearnedRanker:
    """TF-IDF over character n-grams and a linear model with the logistic loss; ``classes``
    are category ids."""

    kind = KIND_LEARNED

    def __init__(self, vectorizer: TfidfVectorizer, model: SGDClassifier):
        self.vectorizer = vectorizer
        self.model = model
        self.classes = [int(c) for c in model.classes_]

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        return self.model.predict_proba(self.vectorizer.transform(texts))


class KeywordRanker:
    """Cosine similarity between a text and each category's names (the fallback)."""

    kind = KIND_KEYWORDS

    def __init__(self, categories: Sequence[CategoryName]):
        self.classes = [c.id for c in categories]
        # Characters and pairs of them, without the padding spaces of ``char_wb`` (which every
        # text would share with every name).
        self.vectorizer = TfidfVectorizer(
            analyzer="char", ngram_range=(1, 2), preprocessor=compact, dtype=np.float32
        )
        documents = [c.document for c in categories] or [""]
        try:
            self.matrix = self.vectorizer.fit_transform(documents)
        except ValueError:  # no category, or names without a single character
            self.matrix = None

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        if self.matrix is None or not self.classes:
            return np.zeros((len(texts), len(self.classes)))
        similarity = self.vectorizer.transform(texts) @ self.matrix.T
        return np.clip(similarity.toarray(), 0.0, 1.0)


def fit_learned(
    texts: Sequence[str], labels: Sequence[int], categories: Sequence[CategoryName]
) -> LearnedRanker:
    """Fit the learned ranker on ``texts`` labelled with category ids (names added)."""
    documents = list(texts) + [c.document for c in categories]
    targets = list(labels) + [c.id for c in categories]
    weights = [1.0] * len(texts) + [NAME_WEIGHT] * len(categories)
    vectorizer = _vectorizer()
    matrix = vectorizer.fit_transform(documents)
    # Not needed to rank and can be large: the terms dropped by min_df/max_df.
    vectorizer.stop_words_ = None
    # Seeded: the same history gives the same model.
    # Balanced: a county files far more broken lights than gas leaks; unweighted, the rare
    # categories would lose their place among the three to the common ones.
    model = SGDClassifier(
        loss="log_loss",
        alpha=ALPHA,
        max_iter=50,
        tol=1e-4,
        class_weight="balanced",
        random_state=0,
    )
    with warnings.catch_warnings():
        # Fifty passes are plenty for a ranking; a finer optimum would change no first three.
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(matrix, targets, sample_weight=np.asarray(weights))
    return LearnedRanker(vectorizer, model)


def top(scores: np.ndarray, classes: Sequence[int], k: int = 3) -> list[list[tuple[int, float]]]:
    """Each row's ``k`` best ``(category id, score)``, best first (ties: the lower id)."""
    out = []
    ids = np.asarray(classes)
    for row in np.atleast_2d(scores):
        order = np.lexsort((ids, -row))[:k]
        out.append([(int(ids[i]), float(row[i])) for i in order])
    return out


@dataclass(frozen=True)
class Accuracy:
    size: int
    top1: float | None
    top3: float | None


def accuracy(ranker, texts: Sequence[str], labels: Sequence[int]) -> Accuracy:
    """Share of ``texts`` whose label is the ranker's first choice, and among its first three."""
    if not texts:
        return Accuracy(0, None, None)
    best = top(ranker.scores(texts), ranker.classes, k=3)
    first = sum(1 for row, label in zip(best, labels, strict=True) if row and row[0][0] == label)
    three = sum(1 for row, label in zip(best, labels, strict=True) if label in {c for c, _ in row})
    return Accuracy(len(texts), first / len(texts), three / len(texts))


def time_split(count: int, share: float = 0.2) -> int:
    """Where the held-out slice starts in rows sorted by time: the most recent ``share``."""
    if count < 2:
        return count
    return max(1, min(count - 1, round(count * (1 - share))))


# --- Stored bytes and their signature ------------------------------------------------------


def signature(blob: bytes) -> str:
    """HMAC-SHA256 of ``blob`` under a key derived from ``SECRET_KEY``."""
    return salted_hmac(_SIGNING_SALT, blob, algorithm="sha256").hexdigest()


def _signatures(blob: bytes) -> list[str]:
    from django.conf import settings

    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [
        salted_hmac(_SIGNING_SALT, blob, secret=secret, algorithm="sha256").hexdigest()
        for secret in secrets
    ]


def pack(ranker) -> tuple[bytes, str]:
    """The ranker as bytes, and their signature."""
    buffer = io.BytesIO()
    joblib.dump(ranker, buffer, compress=("zlib", 3))
    blob = buffer.getvalue()
    return blob, signature(blob)


def unpack(blob: bytes, signed: str):
    """The ranker stored as ``blob``; ``TamperedModel`` unless ``signed`` is its signature
    (under the current secret key or a fallback one). Nothing is unpickled before the check."""
    blob = bytes(blob)
    if not signed or not any(hmac.compare_digest(signed, s) for s in _signatures(blob)):
        raise TamperedModel("The stored model does not match its signature.")
    # Signed by this deployment's key: only bytes this deployment wrote are unpickled.
    return joblib.load(io.BytesIO(blob))
