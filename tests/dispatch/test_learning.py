"""The ranking itself, as plain functions: no database."""

import numpy as np
import pytest

from dispatch import learning
from dispatch.learning import CategoryName, KeywordRanker, TamperedModel

NAMES = [
    CategoryName(1, "电梯故障", "物业管理"),
    CategoryName(2, "路灯不亮", "市政设施"),
    CategoryName(3, "噪音扰民", "环境卫生"),
]


def test_numbers_and_full_width_forms_are_normalised():
    assert learning.normalise("３栋  电梯\tＡ") == "0栋 电梯 a"
    assert learning.normalise("12栋") == learning.normalise("3栋")


def test_keywords_rank_the_category_whose_name_the_text_uses_first():
    ranker = KeywordRanker(NAMES)
    best = learning.top(ranker.scores(["小区门口的路灯不亮了"]), ranker.classes)[0]
    assert best[0][0] == 2
    assert 0 < best[0][1] <= 1
    assert [score for _c, score in best] == sorted((s for _c, s in best), reverse=True)


def test_keywords_score_nothing_for_a_text_sharing_no_character():
    ranker = KeywordRanker(NAMES)
    assert ranker.scores(["xyz"]).max() == 0


def test_the_learned_ranker_learns_wordings_beyond_the_names():
    texts = ["电梯停了", "电梯困人", "晚上太吵了", "半夜喧哗吵闹", "灯不亮", "路口很黑"] * 5
    labels = [1, 1, 3, 3, 2, 2] * 5
    ranker = learning.fit_learned(texts, labels, NAMES)
    assert learning.top(ranker.scores(["楼下半夜很吵"]), ranker.classes)[0][0][0] == 3
    assert ranker.scores(["x"]).sum() == pytest.approx(1.0)


def test_top_is_best_first_and_ties_go_to_the_lower_id():
    scores = np.array([[0.2, 0.5, 0.2, 0.1]])
    assert learning.top(scores, [40, 30, 20, 10], k=3) == [[(30, 0.5), (20, 0.2), (40, 0.2)]]


def test_accuracy_counts_first_and_first_three():
    ranker = KeywordRanker(NAMES)
    result = learning.accuracy(ranker, ["电梯故障", "路灯不亮", "什么"], [1, 3, 2])
    assert result.size == 3
    assert result.top1 == pytest.approx(1 / 3)


def test_the_held_out_slice_is_the_most_recent_fifth():
    assert learning.time_split(100) == 80
    assert learning.time_split(2) == 1
    assert learning.time_split(1) == 1


def test_packed_model_loads_back_when_its_signature_matches():
    blob, signed = learning.pack(KeywordRanker(NAMES))
    loaded = learning.unpack(blob, signed)
    assert loaded.classes == [1, 2, 3]


def test_tampered_bytes_or_a_foreign_signature_are_refused_before_unpickling(monkeypatch):
    blob, signed = learning.pack(KeywordRanker(NAMES))
    loads = []
    monkeypatch.setattr(learning.joblib, "load", lambda *a, **k: loads.append(1))
    tampered = blob[:-1] + bytes([blob[-1] ^ 1])
    with pytest.raises(TamperedModel):
        learning.unpack(tampered, signed)
    with pytest.raises(TamperedModel):
        learning.unpack(blob, "0" * 64)
    with pytest.raises(TamperedModel):
        learning.unpack(blob, "")
    assert loads == []


def test_a_model_signed_under_another_secret_key_is_refused(settings):
    blob, signed = learning.pack(KeywordRanker(NAMES))
    settings.SECRET_KEY = "another-deployment-entirely-0123456789"
    with pytest.raises(TamperedModel):
        learning.unpack(blob, signed)
    settings.SECRET_KEY_FALLBACKS = ["test-only-secret-key"]
    assert learning.unpack(blob, signed).classes == [1, 2, 3]
