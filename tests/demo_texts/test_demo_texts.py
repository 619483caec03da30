"""The demo's resident texts: varied enough to learn from, and the same for the same seed."""

import random

import pytest

from casework.demo.data import CATEGORIES
from requests_app.demo_texts import ANSWERS, ASIDES, CODES, PHRASINGS, describe

LEAVES = {leaf[0]: leaf[1] for _code, _name, _en, leaves in CATEGORIES for leaf in leaves}


def _rng(seed):
    return random.Random(seed)  # noqa: S311  (demo data, reproducible by design)


def _draws(code, seed, n, building=""):
    rng = _rng(seed)
    return [describe(code, rng, building=building) for _ in range(n)]


def test_every_leaf_category_of_the_demo_has_texts_and_answers():
    assert len(LEAVES) == 25
    assert set(CODES) == set(LEAVES) == set(ANSWERS)
    for code in CODES:
        assert len(set(ANSWERS[code])) >= 3, code


@pytest.mark.parametrize("code", sorted(LEAVES))
def test_each_category_has_forty_base_phrasings_and_many_descriptions(code):
    assert len(set(PHRASINGS[code])) >= 40
    descriptions = {text for text, _answer in _draws(code, 5, 300, building="3栋")}
    assert len(descriptions) >= 100


def test_most_phrasings_name_no_word_of_the_category():
    """Residents describe situations, not categories: most base phrasings share no two-character
    word with the category's name."""
    with_name = total = 0
    for code, name in LEAVES.items():
        words = {name[i : i + 2] for i in range(len(name) - 1)}
        for phrasing in PHRASINGS[code]:
            total += 1
            with_name += any(word in phrasing for word in words)
    assert with_name / total < 0.25


def test_the_same_seed_gives_the_same_texts_and_another_seed_others():
    codes = CODES * 8
    first = [describe(c, rng, building="2栋") for rng in [_rng(42)] for c in codes]
    again = [describe(c, rng, building="2栋") for rng in [_rng(42)] for c in codes]
    other = [describe(c, rng, building="2栋") for rng in [_rng(43)] for c in codes]
    assert first == again
    assert first != other


def test_only_the_given_random_source_is_used():
    random.seed(7)
    state = random.getstate()
    _draws("property-elevator", 1, 50)
    assert random.getstate() == state


def test_texts_are_filled_in_and_of_a_sane_length():
    for code in CODES:
        for text, answer in _draws(code, 9, 200, building="12栋"):
            assert 5 <= len(text) <= 2000, text
            assert answer and len(answer) <= 2000
            for mark in ("{", "}", "\n"):
                assert mark not in text and mark not in answer, text


def test_the_building_is_named_sometimes_and_only_when_given():
    named = [text for text, _a in _draws("property-elevator", 3, 300, building="7栋")]
    assert 20 < sum("7栋" in t for t in named) < 300
    unnamed = [text for text, _a in _draws("property-elevator", 3, 300)]
    assert not any("7栋" in t for t in unnamed)


def test_people_talk_in_dialect_add_a_second_problem_and_sometimes_mistype():
    texts = [text for code in CODES for text, _a in _draws(code, 11, 120)]
    share = lambda hit: sum(map(hit, texts)) / len(texts)  # noqa: E731
    assert 0.1 < share(lambda t: "冇" in t) < 0.8
    assert 0.03 < share(lambda t: any(a in t for a in ASIDES)) < 0.3
    assert share(lambda t: any(w in t for w in ("电悌", "拉圾", "以经", "物叶", "楼到"))) > 0
    lengths = sorted(len(t) for t in texts)
    assert lengths[len(lengths) // 2] < 40 < lengths[-1]


def test_an_unknown_category_is_refused():
    with pytest.raises(KeyError):
        describe("no-such-category", _rng(1))
