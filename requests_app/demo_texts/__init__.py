"""What residents of the demo say, in the many ways they say it (demo data, not product text).

The dispatch suggestion learns from the county's own history, so the demo's history has to be
worth learning from: for each of the 25 leaf categories a few dozen situations written by hand
(most of them without a word of the category's name), composed with what people add when they
talk to a grid worker or type into the form: an opener (哎，那个，麻烦问下), who they are (开店的,
租户), how long it has lasted, a closing plea, now and then a second, minor problem of another
kind ("顺便说下…"), Guangxi Cantonese and Southwestern Mandarin words (冇, 咋个, 搞么子, 好鬼)
and, rarely, a typo of the kind a phone's input method makes (电悌, 拉圾, 以经).

``describe`` is deterministic: every choice comes from the ``random.Random`` it is given, and every
table is a tuple walked in a fixed order.
"""

from __future__ import annotations

import random
import re

from requests_app.demo_texts import _municipal, _others, _property, _sanitation, _utility, _welfare

#: Situations per leaf category code; ``{b}`` is where a resident may name the building.
PHRASINGS: dict[str, tuple[str, ...]] = {}
#: What the worker answered on the spot, per leaf category code.
ANSWERS: dict[str, tuple[str, ...]] = {}
for _module in (_property, _municipal, _utility, _sanitation, _welfare, _others):
    PHRASINGS.update(_module.PHRASINGS)
    ANSWERS.update(_module.ANSWERS)
CODES: tuple[str, ...] = tuple(sorted(PHRASINGS))

#: Categories where people ask rather than complain: they get other time phrases and endings.
ASKING = ("welfare-", "consult-")

#: The longest a composed description grows before optional parts are left out.
LONGEST = 150

#: What stands for the building when the resident does not name it.
PLACES = ("", "", "", "我们那栋", "我家那栋", "我们这栋", "我住那栋", "我们单元", "我们楼")

OPENERS = (
    "哎，",
    "那个，",
    "我跟你讲，",
    "麻烦问下，",
    "你好，",
    "同志你好，",
    "喂，",
    "领导，",
    "书记，",
    "唉，",
    "我想反映个事，",
    "是这样的，",
    "打扰一下，",
    "不好意思，",
    "讲真，",
    "老实讲，",
    "阿妹，",
    "靓仔，",
    "请问，",
    "我讲下啊，",
    "哎呀，",
    "网格员你好，",
)

SPEAKERS = (
    "我是租户，",
    "我是开店的，",
    "家里有老人，",
    "我带小孩的，",
    "我住一楼，",
    "我住顶楼，",
    "我是业主，",
    "我帮我妈问的，",
    "我是新搬来的，",
    "我七十多岁了，",
    "我上夜班的，",
    "我替隔壁阿婆讲，",
    "我们几户一起反映，",
    "我是楼栋长，",
    "我在外地打工，",
    "我腿脚不好，",
)

#: When it started, for complaints (before the situation).
SINCE = (
    "从昨晚开始，",
    "这两天",
    "前天起，",
    "最近",
    "今早起来发现",
    "上个礼拜开始，",
    "这段时间",
    "一大早",
    "过完年以后",
    "落完雨以后",
)

#: How long it has lasted, for complaints (after the situation).
LASTING = (
    "，好几天了",
    "，一个多星期了",
    "，讲了几次都冇用",
    "，到现在都冇人管",
    "，昨晚开始的",
    "，不是第一次了",
    "，天天这样",
    "，半个月了",
    "，打了几次电话了",
    "，拖了好久",
    "，成个月了",
)

#: How a question came about (before it).
ASKING_SINCE = (
    "上个月就想问了，",
    "问了好几个地方都讲不清，",
    "听隔壁讲的，",
    "我不太懂这些，",
    "一直想来问，",
    "手机上看到说，",
)

COMPLAINT_ENDINGS = (
    "，麻烦处理下",
    "，快点来人看下啦",
    "，希望尽快解决",
    "，你们管一下嘛",
    "，搞快点咯",
    "，谢谢",
    "，拜托了",
    "，太危险了",
    "，好烦",
    "，实在受不了了",
    "，有冇人管啊",
    "，到底归哪个管",
)

ASKING_ENDINGS = (
    "，谢谢",
    "，麻烦讲下",
    "，要去哪里办",
    "，我不太懂",
    "，有冇人可以帮下忙",
    "，好急",
    "，麻烦了",
    "，帮我问问",
)

COMPLAINT_MARKS = ("", "", "", "。", "！", "！！", "。。。", "~", "!")
ASKING_MARKS = ("", "", "？", "。", "？？", "?")
#: After a closing plea ("谢谢", "麻烦处理下") a question mark would read wrong.
ENDING_MARKS = ("", "", "。", "！", "!", "~")

#: What people add that says nothing about the kind of problem (a classifier must look past it).
COMPLAINT_DETAILS = (
    "我们找过物业，物业说不归他们管，叫我们来找社区",
    "之前打过12345，说转下来了，到现在冇消息",
    "家里老人小孩都有，真的好担心",
    "拍了照片的，可以发给你们看",
    "好多住户都有意见，群里天天在讲",
    "上次有人来看过一次，走了以后还是老样子",
    "白天要上班，只有晚上才有空打电话",
    "不是我一家的事，整栋楼都受影响",
    "不知道要找哪个部门，只好来社区",
    "真出了事哪个负责",
    "隔壁几户也讲过，都冇下文",
    "讲了几次，每次都说马上来",
    "我老婆讲叫我一定要来反映",
    "我们都是老实人，也不想闹，就想有人管一下",
)
ASKING_DETAILS = (
    "我文化不高，网上那些看不懂",
    "跑了几趟了，每次都说材料不齐",
    "打电话过去一直占线",
    "我儿子在外地，家里就我一个人",
    "听说要在社区盖章",
    "手机上那个小程序我不会弄",
    "去年问过一次，今年好像又变了",
    "我们这种情况不知道符不符合",
    "年纪大了，记性不好，麻烦讲慢点",
)

#: How a second situation of the same kind joins the first.
AND_ALSO = ("，而且", "，还有就是", "，上次也是", "。另外", "，又")
ASKING_AND_ALSO = ("，还有", "。还想问下，", "，另外", "，顺便问下")

#: How a second, minor problem is tacked on.
ASIDES = ("顺便说下，", "还有，", "另外", "对了，", "还有个事，", "顺便讲一下，", "再一个，")

ANSWER_TAILS = (
    "，居民表示满意",
    "，已留联系电话便于回访",
    "，请居民留意后续通知",
    "，网格员跟进",
    "，居民表示理解",
)

#: Mandarin → Guangxi Cantonese / Southwestern Mandarin words: (word, replacements, how often
#: relative to the speaker's dialect strength).
DIALECT: tuple[tuple[str, tuple[str, ...], float], ...] = (
    # Words where 没 is no negation, kept as they are (the longest match wins).
    ("出没", ("出没",), 1.0),
    ("淹没", ("淹没",), 1.0),
    ("没收", ("没收",), 1.0),
    ("没有", ("冇", "冇得", "没得"), 1.0),
    ("没", ("冇",), 1.0),
    ("怎么办", ("咋个办", "点算", "怎么搞"), 1.0),
    ("怎么", ("咋个", "点样", "咋"), 1.0),
    ("干什么", ("搞么子", "做乜"), 1.0),
    ("为什么", ("为么子", "点解"), 1.0),
    ("什么", ("么子", "啥子", "乜嘢"), 1.0),
    ("很", ("好", "好鬼", "蛮"), 1.0),
    ("不知道", ("唔知", "不晓得"), 1.0),
    ("现在", ("而家", "这阵"), 1.0),
    ("昨天", ("琴日", "昨日"), 1.0),
    ("今天", ("今日",), 1.0),
    ("晚上", ("晚黑", "夜晚", "夜头"), 1.0),
    ("东西", ("嘢",), 0.8),
    ("小孩", ("细佬", "娃仔", "细路仔"), 1.0),
    ("下雨", ("落雨",), 1.0),
    ("是不是", ("系唔系",), 1.0),
    ("这里", ("呢度", "这块"), 1.0),
    ("那里", ("嗰度", "那块"), 1.0),
    ("一直", ("成日", "一路"), 1.0),
    ("厉害", ("犀利", "恼火"), 1.0),
    ("睡不着", ("瞓唔着", "困不着"), 1.0),
    ("吵", ("嘈",), 0.6),
    ("多少钱", ("几多钱", "好多钱"), 1.0),
    ("看", ("睇",), 0.5),
    ("吗", ("咩", "不"), 0.6),
    ("哪里", ("边度", "哪块"), 1.0),
    ("好多", ("好鬼多", "一大堆"), 0.6),
    ("不要", ("唔好", "莫"), 1.0),
    ("我们", ("我哋",), 0.4),
    ("他们", ("佢哋",), 0.6),
    ("的", ("嘅",), 0.15),
)

#: Slips of a phone's input method: homophones and near-homophones.
TYPOS: tuple[tuple[str, tuple[str, ...], float], ...] = (
    ("电梯", ("电悌", "电体"), 1.0),
    ("物业", ("物叶",), 1.0),
    ("垃圾", ("拉圾", "垃级"), 1.0),
    ("燃气", ("燃汽",), 1.0),
    ("煤气", ("煤汽",), 1.0),
    ("已经", ("以经",), 1.0),
    ("申请", ("申清",), 1.0),
    ("维修", ("维休",), 1.0),
    ("楼道", ("楼到",), 1.0),
    ("下水道", ("下水到",), 1.0),
    ("消防", ("消仿",), 1.0),
    ("报销", ("报消",), 1.0),
    ("停车", ("亭车",), 1.0),
    ("路灯", ("路登",), 1.0),
    ("残疾", ("残急",), 1.0),
    ("医保", ("医宝",), 1.0),
    ("低保", ("底保", "低宝"), 1.0),
    ("漏水", ("露水",), 1.0),
    ("井盖", ("井该",), 1.0),
    ("装修", ("装休",), 1.0),
    ("邻居", ("林居",), 1.0),
    ("麻烦", ("麻凡",), 1.0),
    ("处理", ("处里",), 1.0),
    ("厉害", ("利害",), 1.0),
    ("门禁", ("门进",), 1.0),
    ("充电", ("冲电",), 1.0),
    ("补贴", ("补帖",), 1.0),
    ("材料", ("才料",), 1.0),
    ("账", ("帐",), 1.0),
    ("做", ("作",), 0.5),
    ("在", ("再",), 0.3),
    ("再", ("在",), 0.5),
    ("的", ("得", "地"), 0.2),
)


def _pattern(table) -> tuple[re.Pattern, dict]:
    by_word = {word: (replacements, scale) for word, replacements, scale in table}
    words = sorted(by_word, key=lambda w: (-len(w), w))
    return re.compile("|".join(re.escape(w) for w in words)), by_word


_DIALECT = _pattern(DIALECT)
_TYPOS = _pattern(TYPOS)


def _swap(text: str, table, rng: random.Random, strength: float) -> str:
    """Replace each word of ``table`` found in ``text`` with probability ``strength`` × its scale,
    in one pass, so a replacement is never replaced again."""
    pattern, by_word = table

    def one(match: re.Match) -> str:
        replacements, scale = by_word[match.group(0)]
        if rng.random() < strength * scale:
            return rng.choice(replacements)
        return match.group(0)

    return pattern.sub(one, text)


def _place(text: str, rng: random.Random, building: str) -> str:
    if "{b}" not in text:
        return text
    place = building if building and rng.random() < 0.6 else rng.choice(PLACES)
    if place and rng.random() < 0.25 and "{b}的" not in text:
        place += "的"
    return text.replace("{b}", place)


def _aside(code: str, rng: random.Random) -> str:
    """A minor problem of another category, said in passing: a long one by its first clause."""
    other = rng.choice([c for c in CODES if c != code])
    text = _place(rng.choice(PHRASINGS[other]), rng, "").rstrip("。！？!?")
    first = text.split("，")[0]
    return first if len(text) > 18 and len(first) >= 8 else text


def _fits(parts: list[str], extra: str) -> bool:
    return sum(map(len, parts)) + len(extra) <= LONGEST


def describe(code: str, rng: random.Random, *, building: str = "") -> tuple[str, str]:
    """Return (what a resident said about a problem of category ``code``, the answer given on
    the spot). ``building`` is the building's name (``3栋``) where the request is about one."""
    asking = code.startswith(ASKING)
    core = _place(rng.choice(PHRASINGS[code]), rng, building).rstrip("。！？!?")
    parts = [core]
    if rng.random() < 0.15:
        again = _place(rng.choice(PHRASINGS[code]), rng, building).rstrip("。！？!?")
        if again != core:
            parts.append(rng.choice(ASKING_AND_ALSO if asking else AND_ALSO) + again)
    if rng.random() < 0.3:
        details = ASKING_DETAILS if asking else COMPLAINT_DETAILS
        for detail in rng.sample(details, rng.choice((1, 1, 2, 3))):
            if _fits(parts, "，" + detail):
                parts.append("，" + detail)
    roll = rng.random()
    if asking:
        if roll < 0.12:
            parts.insert(0, rng.choice(ASKING_SINCE))
    elif roll < 0.15:
        parts.insert(0, rng.choice(SINCE))
    elif roll < 0.32 and _fits(parts, "，一个多星期了"):
        parts.append(rng.choice(LASTING))
    if rng.random() < 0.18:
        parts.insert(0, rng.choice(SPEAKERS))
    if rng.random() < 0.3:
        parts.insert(0, rng.choice(OPENERS))
    marks = ASKING_MARKS if asking else COMPLAINT_MARKS
    if rng.random() < 0.28:
        ending = rng.choice(ASKING_ENDINGS if asking else COMPLAINT_ENDINGS)
        if _fits(parts, ending):
            parts.append(ending)
            marks = ENDING_MARKS
    parts.append(rng.choice(marks))
    if rng.random() < 0.12:
        aside = rng.choice(ASIDES) + _aside(code, rng)
        joint = "，" if parts[-1] == "" else ""
        if _fits(parts, joint + aside):
            parts.append(joint + aside)
    text = "".join(parts)

    dialect = rng.random()
    if dialect >= 0.55:
        text = _swap(text, _DIALECT, rng, 0.35 if dialect < 0.9 else 0.85)
    if rng.random() < 0.12:
        text = _swap(text, _TYPOS, rng, 0.5)
    punctuation = rng.random()
    if punctuation < 0.1:
        text = text.replace("，", " ")
    elif punctuation < 0.18:
        text = text.replace("，", ",")
    elif punctuation < 0.22:
        text = text.replace("，", "")

    answer = rng.choice(ANSWERS[code])
    if rng.random() < 0.25:
        answer += rng.choice(ANSWER_TAILS)
    return text.strip(), answer
