"""The demo's data: the places of the seed article, names, and the taxonomy of requests."""

from casework.models.categories import DeadlineClass

# --- The places of the article ---------------------------------------------------------------
# Bobai county: 11 communities in the county seat, 23 compound party branches (小区党支部).
# Xingye county: 11 communities. Fumian district: 6 towns, 12 communities.
PLACES = [
    {
        "county": ("博白县", "450923"),
        "towns": [
            (
                "博白镇",
                [
                    "城东社区",
                    "城西社区",
                    "城南社区",
                    "城北社区",
                    "城中社区",
                    "新城社区",
                    "文化社区",
                    "人民社区",
                    "解放社区",
                    "建设社区",
                    "园丁社区",
                ],
            )
        ],
        "compounds": 23,
    },
    {
        "county": ("兴业县", "450924"),
        "towns": [
            (
                "石南镇",
                [
                    "东风社区",
                    "南街社区",
                    "北街社区",
                    "西街社区",
                    "新华社区",
                    "东湖社区",
                    "城隍社区",
                    "兴旺社区",
                    "龙安社区",
                    "园林社区",
                    "胜利社区",
                ],
            )
        ],
        "compounds": 22,
    },
    {
        "county": ("福绵区", "450903"),
        "towns": [
            ("福绵镇", ["福西社区", "福东社区"]),
            ("成均镇", ["成均社区", "均安社区"]),
            ("樟木镇", ["樟木社区", "樟城社区"]),
            ("新桥镇", ["新桥社区", "桥东社区"]),
            ("沙田镇", ["沙田社区", "田园社区"]),
            ("石和镇", ["石和社区", "和平社区"]),
        ],
        "compounds": 24,
    },
]

COUNTY_DEPARTMENTS = ["住房和城乡建设局", "城市管理局", "民政局", "自来水公司", "供电局"]
COMPOUND_WORDS = [
    "阳光",
    "锦绣",
    "翠苑",
    "金桂",
    "华府",
    "东城",
    "碧水",
    "幸福",
    "和谐",
    "盛世",
    "名都",
    "滨江",
    "丽景",
    "康乐",
    "福临",
    "荔园",
    "香樟",
    "凤凰",
    "龙湾",
    "书香",
    "宏达",
    "兴盛",
    "怡景",
    "欣苑",
    "嘉园",
]
COMPOUND_SUFFIXES = ["小区", "花园", "家园", "苑", "公寓"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗梁宋郑谢韦莫庞钟邓冯覃蒋"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国玉兰海燕志红春梅德文丽萍小兵"

# --- The taxonomy ----------------------------------------------------------------------------
# (code, name, English name, deadline class, requires ID number, supervisor verifies)
CATEGORIES = [
    (
        "property",
        "物业管理",
        "Property management",
        [
            (
                "property-elevator",
                "电梯故障",
                "Lift breakdown",
                DeadlineClass.UTILITY,
                False,
                False,
            ),
            (
                "property-facility",
                "公共设施损坏",
                "Broken shared facilities",
                DeadlineClass.GENERAL,
                False,
                False,
            ),
            (
                "property-greening",
                "绿化养护",
                "Green space upkeep",
                DeadlineClass.GENERAL,
                False,
                False,
            ),
            ("property-parking", "停车管理", "Parking", DeadlineClass.GENERAL, False, False),
            ("property-fees", "物业收费", "Property fees", DeadlineClass.COMPLEX, False, False),
        ],
    ),
    (
        "municipal",
        "市政设施",
        "Municipal facilities",
        [
            (
                "municipal-streetlight",
                "路灯不亮",
                "Street lights out",
                DeadlineClass.GENERAL,
                False,
                False,
            ),
            ("municipal-road", "道路破损", "Damaged road", DeadlineClass.GENERAL, False, False),
            (
                "municipal-manhole",
                "井盖缺失",
                "Missing manhole cover",
                DeadlineClass.EMERGENCY,
                False,
                True,
            ),
            ("municipal-drain", "排水堵塞", "Blocked drain", DeadlineClass.UTILITY, False, False),
        ],
    ),
    (
        "utility",
        "水电气",
        "Water, power and gas",
        [
            ("utility-water", "停水", "No water", DeadlineClass.UTILITY, False, False),
            ("utility-power", "停电", "Power cut", DeadlineClass.UTILITY, False, False),
            ("utility-gas", "燃气泄漏", "Gas leak", DeadlineClass.EMERGENCY, False, True),
        ],
    ),
    (
        "sanitation",
        "环境卫生",
        "Sanitation",
        [
            (
                "sanitation-rubbish",
                "垃圾清运",
                "Rubbish collection",
                DeadlineClass.GENERAL,
                False,
                False,
            ),
            ("sanitation-noise", "噪音扰民", "Noise", DeadlineClass.GENERAL, False, False),
            (
                "sanitation-illegal-build",
                "违章搭建",
                "Illegal construction",
                DeadlineClass.COMPLEX,
                False,
                True,
            ),
        ],
    ),
    (
        "welfare",
        "社会保障",
        "Social security",
        [
            (
                "welfare-subsistence",
                "低保申请",
                "Subsistence allowance",
                DeadlineClass.COMPLEX,
                True,
                False,
            ),
            ("welfare-elderly", "养老服务", "Elderly care", DeadlineClass.GENERAL, False, False),
            (
                "welfare-medical",
                "医保办理",
                "Medical insurance",
                DeadlineClass.GENERAL,
                True,
                False,
            ),
            (
                "welfare-disability",
                "残疾人帮扶",
                "Disability support",
                DeadlineClass.COMPLEX,
                True,
                False,
            ),
        ],
    ),
    (
        "dispute",
        "矛盾纠纷",
        "Disputes",
        [
            (
                "dispute-neighbour",
                "邻里纠纷",
                "Neighbour dispute",
                DeadlineClass.GENERAL,
                False,
                False,
            ),
            (
                "dispute-property",
                "物业纠纷",
                "Dispute with the property company",
                DeadlineClass.COMPLEX,
                False,
                False,
            ),
        ],
    ),
    (
        "safety",
        "治安消防",
        "Safety and fire",
        [
            ("safety-fire", "消防隐患", "Fire hazard", DeadlineClass.EMERGENCY, False, True),
            ("safety-order", "治安问题", "Public order", DeadlineClass.GENERAL, False, False),
        ],
    ),
    (
        "consult",
        "政策咨询",
        "Policy questions",
        [
            ("consult-policy", "政策咨询", "Policy question", DeadlineClass.GENERAL, False, False),
            (
                "consult-party",
                "党员服务",
                "Party member services",
                DeadlineClass.GENERAL,
                False,
                False,
            ),
        ],
    ),
]
