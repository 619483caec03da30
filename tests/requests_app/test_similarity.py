"""Duplicate detection measures (plain functions)."""

from requests_app.similarity import degree_box, distance_m, text_similarity


def test_alike_chinese_descriptions_score_higher_than_unrelated_ones():
    a = "1栋电梯停在半层，老人不敢坐"
    b = "又有居民反映：1栋电梯停在半层，老人不敢坐"
    c = "小区门口路灯不亮一个多星期了"
    assert text_similarity(a, a) == 1.0
    assert text_similarity(a, b) > 0.7
    assert text_similarity(a, c) < 0.1
    assert text_similarity("", a) == 0.0


def test_punctuation_and_width_do_not_matter():
    assert text_similarity("电梯坏了！", "电梯坏了") == 1.0
    assert text_similarity("ＡＢＣ电梯", "abc电梯") == 1.0


def test_distance_and_box():
    # Two points about 111 m apart along a meridian.
    assert 105 < distance_m(22.6, 110.15, 22.601, 110.15) < 117
    south, north, west, east = degree_box(22.6, 110.15, 300)
    assert south < 22.6 < north and west < 110.15 < east
    assert distance_m(22.6, 110.15, north, 110.15) >= 299
