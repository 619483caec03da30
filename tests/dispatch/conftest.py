"""A small labelled history for the dispatch model, made through the real intake service."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from casework.services import category_create
from dispatch.services import serving

#: What residents say, per category code: a few wordings each, as different people write them.
PHRASES = {
    "lift": [
        "电梯停在半层不动了",
        "电梯按钮失灵，按了没反应",
        "电梯门夹人，关门太快",
        "电梯运行时有异响，晃得厉害",
        "电梯困人，里面有老人出不来",
        "电梯年检过期了还在用",
    ],
    "light": [
        "路灯不亮一个多星期了",
        "巷子里的路灯一闪一闪",
        "小区门口路灯坏了，晚上很黑",
        "路口那盏灯晚上不亮",
        "街边的路灯全黑，走路害怕",
        "路灯白天亮晚上反而不亮",
    ],
    "noise": [
        "楼下广场舞音响太大，太吵",
        "装修噪音中午也不停",
        "隔壁工地半夜施工，吵得睡不着",
        "烧烤摊半夜喧哗，噪音扰民",
        "楼上每天晚上拖椅子，声音很大",
        "酒吧音乐声太吵，影响休息",
    ],
    "water": [
        "突然停水了，没有接到通知",
        "自来水发黄，不敢喝",
        "水压太小，楼上用不了水",
        "水管爆了，家里没水",
        "停水两天了还没来水",
        "水龙头流出的水有异味",
    ],
}
NAMES = {"lift": "电梯故障", "light": "路灯不亮", "noise": "噪音扰民", "water": "停水"}
GROUPS = {"lift": "物业管理", "light": "市政设施", "noise": "环境卫生", "water": "水电气"}


@pytest.fixture(autouse=True)
def _fresh_memory():
    """Each test starts with a process that has loaded no model."""
    from django.core.cache import cache

    serving.forget()
    cache.delete(serving.ACTIVE_KEY)
    yield
    serving.forget()
    cache.delete(serving.ACTIVE_KEY)


@pytest.fixture
def cats(db):
    groups = {}
    out = SimpleNamespace()
    for key, name in NAMES.items():
        group = GROUPS[key]
        if group not in groups:
            groups[group] = category_create(code=f"g-{key}", name=group)
        setattr(out, key, category_create(code=key, name=name, parent=groups[group]))
    return out


@pytest.fixture
def learn_from_few(settings):
    """Learn from a history of 40 requests (the product waits for 200)."""
    settings.MINQING_DISPATCH_MIN_SAMPLES = 40


@pytest.fixture
def history(tree, people, cats):
    """``history(n)``: collect ``n`` requests in grid A1, cycling through the categories and
    their wordings, one minute apart, the oldest first; returns them."""
    from requests_app.services import request_collect

    def make(n: int, *, unit=None, actor=None):
        keys = list(PHRASES)
        start = timezone.now() - timedelta(days=20)
        made = []
        for i in range(n):
            key = keys[i % len(keys)]
            phrases = PHRASES[key]
            text = phrases[(i // len(keys)) % len(phrases)]
            made.append(
                request_collect(
                    actor=actor or people.grid_a1,
                    channel="onsite",
                    category=getattr(cats, key),
                    unit=unit or tree.compound_a1,
                    description=f"{i % 7 + 1}栋{text}",
                    collected_at=start + timedelta(minutes=i),
                )
            )
        return made

    return make
