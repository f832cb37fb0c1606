"""Generate the demo bank: a few hundred Chinese questions across trades, written into an xlsx file.

The sandbox imports the workbook through the real importer (``importing.import_file``), so a
newcomer sees the same path an author takes. Questions are built from a handful of facts per
trade plus calculations with varied numbers (Ohm's law, VAT, depreciation, staffing rules).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

from . import tabular

Row = list[Any]
LETTERS = "ABCDEF"


def row(
    kind: str,
    stem: str,
    options: list[str],
    answer: str,
    explanation: str,
    trade: str,
    point: str,
    level: str = "中",
) -> Row:
    """A template row (options padded to six columns, 编号 empty)."""
    padded = (options + [""] * 6)[:6]
    return [kind, stem, *padded, answer, explanation, trade, point, level, ""]


def single(
    stem: str,
    right: str,
    wrong: list[str],
    explanation: str,
    trade: str,
    point: str,
    level: str = "中",
    at: int = 0,
) -> Row:
    """A single-choice row with the right option placed at ``at``."""
    options = list(wrong)
    options.insert(at % (len(wrong) + 1), right)
    return row("单选题", stem, options, LETTERS[options.index(right)], explanation, trade, point, level)


def multiple(
    stem: str, right: list[str], wrong: list[str], explanation: str, trade: str, point: str, level: str = "中"
) -> Row:
    """A multiple-choice row; right and wrong options interleave."""
    options = [o for pair in zip(right, wrong + [""] * len(right), strict=False) for o in pair if o] + wrong[
        len(right) :
    ]
    answer = "".join(LETTERS[options.index(r)] for r in right)
    return row("多选题", stem, options, "".join(sorted(answer)), explanation, trade, point, level)


def truefalse(stem: str, value: bool, explanation: str, trade: str, point: str, level: str = "易") -> Row:
    """A true-or-false row."""
    return row("判断题", stem, [], "正确" if value else "错误", explanation, trade, point, level)


def blank(stem: str, answer: str, explanation: str, trade: str, point: str, level: str = "中") -> Row:
    """A fill-in-the-blank row (``answer`` in the importer's form, e.g. ``50|220``)."""
    return row("填空题", stem, [], answer, explanation, trade, point, level)


def electrician() -> Iterator[Row]:
    """电工: facts and Ohm's-law and power calculations."""
    t = "电工"
    yield single(
        "我国规定的安全电压额定值等级中，最高的是（ ）V。",
        "42",
        ["36", "24", "12"],
        "GB/T 3805 规定安全电压额定值为 42、36、24、12、6 V。",
        t,
        "安全电压",
        "易",
    )
    yield single(
        "发现有人触电，首先应当（ ）。",
        "迅速切断电源",
        ["立即进行人工呼吸", "用手拉开触电者", "拨打电话后等待"],
        "先使触电者脱离电源，再施救。",
        t,
        "触电急救",
        "易",
        at=0,
    )
    yield multiple(
        "下列属于电工基本安全用具的有（ ）。",
        ["绝缘杆", "绝缘夹钳", "验电器"],
        ["绝缘鞋", "安全帽"],
        "绝缘鞋属于辅助安全用具。",
        t,
        "安全用具",
    )
    yield truefalse(
        "电气设备着火时，可以直接用水扑救。", False, "应先断电，使用干粉或二氧化碳灭火器。", t, "电气防火"
    )
    yield truefalse(
        "停电检修时，应在断开的开关操作把手上悬挂“禁止合闸，有人工作”标示牌。",
        True,
        "防止误合闸。",
        t,
        "停电作业",
    )
    yield blank("我国工频交流电的频率为____Hz。", "50", "工频为 50 Hz。", t, "电工基础", "易")
    yield blank(
        "保证安全的技术措施是：停电、____、装设接地线、悬挂标示牌和装设遮栏。",
        "验电",
        "四项技术措施。",
        t,
        "停电作业",
    )
    yield multiple(
        "漏电保护器的作用有（ ）。",
        ["防止人身触电", "防止漏电引起火灾"],
        ["稳定电压", "提高功率因数"],
        "漏电保护器在漏电流超过整定值时动作。",
        t,
        "漏电保护",
    )
    for n, (volts, amps) in enumerate(
        [
            (220, 2),
            (220, 4),
            (110, 5),
            (36, 3),
            (24, 4),
            (12, 6),
            (380, 10),
            (48, 8),
            (60, 5),
            (90, 3),
            (120, 6),
            (150, 5),
            (200, 8),
            (240, 12),
            (100, 4),
            (30, 3),
            (45, 9),
            (72, 6),
            (84, 7),
            (96, 8),
            (132, 11),
            (144, 12),
            (180, 9),
            (66, 6),
            (126, 7),
        ]
    ):
        ohms = volts // amps if volts % amps == 0 else round(volts / amps, 1)
        ohms_text = f"{ohms:g}"
        wrong = [f"{volts * amps:g}", f"{ohms * 2:g}", f"{amps / volts:.3f}".rstrip("0")]
        yield single(
            f"某电阻两端电压为 {volts} V，通过的电流为 {amps} A，该电阻的阻值为（ ）Ω。",
            ohms_text,
            wrong,
            f"由欧姆定律 R = U / I = {volts} / {amps} = {ohms_text} Ω。",
            t,
            "欧姆定律",
            "中",
            at=n,
        )
        yield blank(
            f"一台用电设备额定电压 {volts} V、额定电流 {amps} A，其额定功率为____W。",
            f"{volts * amps}",
            f"P = U × I = {volts} × {amps} = {volts * amps} W。",
            t,
            "电功率",
            "中",
        )
    for n, (r1, r2) in enumerate(
        [(10, 20), (30, 60), (5, 15), (40, 40), (12, 24), (100, 50), (8, 8), (22, 33)]
    ):
        yield single(
            f"电阻 {r1} Ω 与 {r2} Ω 串联，总电阻为（ ）Ω。",
            f"{r1 + r2}",
            [f"{abs(r1 - r2) or r1 // 2}", f"{r1 * r2}", f"{round(r1 * r2 / (r1 + r2), 1):g}"],
            "串联电阻等于各电阻之和。",
            t,
            "电阻串并联",
            "易",
            at=n + 1,
        )
        yield truefalse(
            f"电阻 {r1} Ω 与 {r2} Ω 并联后，总电阻小于 {min(r1, r2)} Ω。",
            True,
            "并联总电阻小于其中任何一个电阻。",
            t,
            "电阻串并联",
            "中",
        )
    for watts, hours in [
        (1000, 2),
        (2000, 3),
        (500, 4),
        (1500, 2),
        (100, 10),
        (800, 5),
        (3000, 1),
        (250, 8),
        (1200, 5),
        (60, 50),
        (40, 25),
        (2500, 4),
    ]:
        yield blank(
            f"一台 {watts} W 的电器连续工作 {hours} 小时，耗电____kW·h（度）。",
            f"{watts * hours / 1000:g}",
            f"W = P × t = {watts / 1000:g} kW × {hours} h。",
            t,
            "电能计算",
            "中",
        )
    for volts in (6, 12, 24, 36, 42, 48, 110, 220, 380, 50):
        yield truefalse(
            f"{volts} V 属于我国规定的安全电压额定值。",
            volts in (6, 12, 24, 36, 42),
            "安全电压额定值为 42、36、24、12、6 V。",
            t,
            "安全电压",
            "易",
        )
    pools = (["42 V", "36 V", "24 V", "12 V", "6 V"], ["110 V", "220 V", "380 V", "48 V", "60 V"])
    for n in range(5):
        right = [pools[0][(n + i) % 5] for i in range(3)]
        wrong = [pools[1][(n + i) % 5] for i in range(2)]
        yield multiple(
            f"下列电压中，属于安全电压额定值的有（ ）。（第{n + 1}组）",
            right,
            wrong,
            "安全电压额定值为 42、36、24、12、6 V。",
            t,
            "安全电压",
        )


def welder() -> Iterator[Row]:
    """焊工: facts, and current estimates by electrode diameter."""
    t = "焊工"
    yield single(
        "焊接作业现场，气瓶与明火的距离一般不小于（ ）m。",
        "10",
        ["1", "3", "5"],
        "气瓶与明火距离不小于 10 m。",
        t,
        "气瓶安全",
        "易",
        at=3,
    )
    yield single(
        "氧气瓶与乙炔瓶的间距应不小于（ ）m。",
        "5",
        ["1", "2", "0.5"],
        "两瓶间距不小于 5 m。",
        t,
        "气瓶安全",
        "易",
        at=2,
    )
    yield multiple(
        "焊工作业时应穿戴的防护用品有（ ）。",
        ["焊接面罩", "焊工手套", "阻燃工作服"],
        ["化纤衬衫", "塑料凉鞋"],
        "化纤衣物遇火星易熔化粘连皮肤。",
        t,
        "个人防护",
    )
    yield multiple(
        "电焊产生的主要职业危害有（ ）。",
        ["电焊烟尘", "弧光辐射", "有毒气体"],
        ["噪声以外的无害蒸汽"],
        "弧光含强紫外线，烟尘和有毒气体损害呼吸系统。",
        t,
        "职业危害",
    )
    yield truefalse("乙炔瓶可以卧放使用。", False, "乙炔瓶必须直立使用，防止丙酮流出。", t, "气瓶安全")
    yield truefalse(
        "在盛装过易燃易爆物质的容器上焊接前，必须彻底清洗置换并检测合格。", True, "防止爆炸。", t, "动火作业"
    )
    yield blank("电焊机外壳必须可靠____，以防触电。", "接地/接零", "外壳接地或接零。", t, "焊机安全", "易")
    yield blank(
        "焊条使用前应按规定____，以去除药皮中的水分。",
        "烘干/烘焙",
        "受潮焊条易产生气孔。",
        t,
        "焊接材料",
        "易",
    )
    diameters = [1.6, 2.0, 2.5, 3.2, 4.0, 5.0, 5.8, 6.0]
    for n, d in enumerate(diameters):
        current = round(40 * d)
        yield single(
            f"按经验公式 I ≈ 40d 估算，直径 {d:g} mm 的焊条，焊接电流约为（ ）A。",
            f"{current}",
            [f"{round(10 * d)}", f"{round(100 * d)}", f"{round(4 * d)}"],
            f"I ≈ 40 × {d:g} = {current} A。",
            t,
            "焊接参数",
            "中",
            at=n,
        )
        yield blank(
            f"直径 {d:g} mm 的焊条，按 I ≈ 40d 估算的焊接电流约为____A。",
            f"{current}",
            f"40 × {d:g} = {current}。",
            t,
            "焊接参数",
            "中",
        )
    places = [
        "储油罐",
        "化工管道",
        "密闭容器",
        "地下室",
        "船舱",
        "粮仓",
        "木材堆场",
        "加油站附近",
        "锅炉内部",
        "料仓",
        "配电室",
        "油漆车间",
        "仓库",
        "下水道",
        "管廊",
        "地下车库",
        "冷库",
        "塔器内部",
        "隧道",
        "船坞",
    ]
    for n, place in enumerate(places):
        yield truefalse(
            f"在{place}进行焊接动火作业，可以不办理动火作业许可。",
            False,
            "危险场所动火必须办理动火作业许可，落实监护和防火措施。",
            t,
            "动火作业",
            "易",
        )
        yield single(
            f"在{place}动火前，必须首先（ ）。",
            "办理动火许可并检测可燃气体",
            ["直接开始焊接", "只通知班长", "准备好灭火器即可"],
            "先审批、再检测、有监护。",
            t,
            "动火作业",
            "中",
            at=n,
        )
    for dist in (1, 2, 3, 4, 5, 6, 8, 10, 12, 15):
        yield truefalse(
            f"使用中的氧气瓶与乙炔瓶间距为 {dist} m，符合安全要求。",
            dist >= 5,
            "两瓶间距不小于 5 m。",
            t,
            "气瓶安全",
            "中",
        )
    gear = (
        ["焊接面罩", "焊工手套", "阻燃工作服", "绝缘鞋", "防尘口罩"],
        ["化纤衬衫", "塑料凉鞋", "普通墨镜", "短裤", "棉纱手套（潮湿）"],
    )
    for n in range(5):
        yield multiple(
            f"电焊作业时，下列属于正确防护用品的有（ ）。（第{n + 1}组）",
            [gear[0][(n + i) % 5] for i in range(3)],
            [gear[1][(n + i) % 5] for i in range(2)],
            "焊工应穿戴阻燃、绝缘的防护用品。",
            t,
            "个人防护",
        )


def safety() -> Iterator[Row]:
    """安全生产: law facts and staffing rules with varied head counts."""
    t = "安全生产"
    yield single(
        "我国安全生产工作的方针是（ ）。",
        "安全第一、预防为主、综合治理",
        ["效益优先、兼顾安全", "先生产、后安全", "谁主管、谁负责"],
        "《安全生产法》第三条。",
        t,
        "安全生产方针",
        "易",
    )
    yield single(
        "生产经营单位的（ ）是本单位安全生产第一责任人。",
        "主要负责人",
        ["安全员", "工会主席", "班组长"],
        "《安全生产法》第五条。",
        t,
        "安全生产责任",
        "易",
        at=1,
    )
    yield multiple(
        "从业人员的安全生产权利包括（ ）。",
        ["知情权", "拒绝违章指挥权", "紧急撤离权"],
        ["随意停产权", "罚款权"],
        "《安全生产法》第三章。",
        t,
        "从业人员权利义务",
    )
    yield multiple(
        "事故应急救援预案分为（ ）。",
        ["综合应急预案", "专项应急预案", "现场处置方案"],
        ["年度生产计划"],
        "《生产安全事故应急预案管理办法》。",
        t,
        "应急预案",
    )
    yield truefalse(
        "生产经营单位可以与从业人员订立协议，免除其对从业人员因生产安全事故伤亡依法应承担的责任。",
        False,
        "此类协议无效。",
        t,
        "从业人员权利义务",
    )
    yield truefalse(
        "从业人员发现直接危及人身安全的紧急情况时，有权停止作业或者在采取可能的应急措施后撤离作业场所。",
        True,
        "紧急撤离权。",
        t,
        "从业人员权利义务",
    )
    yield blank(
        "“三同时”是指安全设施必须与主体工程同时设计、同时____、同时投入生产和使用。",
        "施工",
        "建设项目安全设施“三同时”。",
        t,
        "三同时",
    )
    yield blank(
        "事故调查处理应坚持“四不放过”原则：事故原因未查清不放过、责任人员未处理不放过、____未受教育不放过、整改措施未落实不放过。",
        "有关人员/群众",
        "“四不放过”。",
        t,
        "事故调查",
        "难",
    )
    for n, people in enumerate([20, 45, 80, 99, 100, 101, 150, 300, 500, 1000, 60, 120, 35, 260, 90, 180]):
        right, wrong = (
            "应当设置安全生产管理机构或者配备专职安全生产管理人员",
            "应当配备专职或者兼职的安全生产管理人员",
        )
        if people <= 100:
            right, wrong = wrong, right
        yield single(
            f"某商贸企业（非高危行业）有从业人员 {people} 人，按《安全生产法》规定，该企业（ ）。",
            right,
            [wrong, "无须配备任何安全管理人员", "只需委托中介机构即可"],
            "以 100 人为界，见《安全生产法》第二十四条。",
            t,
            "安全管理机构",
            "中",
            at=n,
        )
    hazards = ["有限空间", "高处", "动火", "临时用电", "吊装", "盲板抽堵", "动土", "断路"]
    for n, work in enumerate(hazards):
        yield truefalse(
            f"{work}作业属于危险作业，应当办理作业许可并安排专人现场监护。",
            True,
            "特殊作业须审批并监护（GB 30871）。",
            t,
            "特殊作业",
            "易",
        )
        yield single(
            f"进行{work}作业前，下列做法正确的是（ ）。",
            "办理作业许可、进行风险辨识并安排监护",
            ["口头通知后直接作业", "先作业后补手续", "由作业人员自行决定"],
            "先审批后作业。",
            t,
            "特殊作业",
            "中",
            at=n,
        )
    for n, height in enumerate([2, 3, 5, 8, 15, 20, 30, 40]):
        level = (
            "一级" if height <= 5 else "二级" if height <= 15 else "三级" if height <= 30 else "四级（特级）"
        )
        yield single(
            f"按 GB/T 3608，作业高度为 {height} m 的高处作业属于（ ）高处作业。",
            level,
            [x for x in ["一级", "二级", "三级", "四级（特级）"] if x != level],
            "2～5 m 一级，5～15 m 二级，15～30 m 三级，30 m 以上特级。",
            t,
            "高处作业",
            "难",
            at=n,
        )
    fires = [
        ("汽油着火", "泡沫或干粉灭火器", "直接用水"),
        ("带电的配电柜着火", "二氧化碳或干粉灭火器", "泡沫灭火器"),
        ("木材、纸张着火", "水或泡沫灭火器", "只用湿毛巾扑打"),
        ("油锅着火", "盖上锅盖或灭火毯", "用水浇"),
        ("电脑机房着火", "气体（二氧化碳）灭火器", "水枪喷射"),
        ("酒精着火", "抗溶性泡沫或干粉灭火器", "用嘴吹"),
        ("天然气泄漏着火", "先关闭阀门切断气源", "立即用水冲"),
    ]
    for n, (fire, right, wrong) in enumerate(fires):
        yield single(
            f"{fire}时，正确的处置是使用（ ）。",
            right,
            [wrong, "不必处理", "等待自行熄灭"],
            "按火灾类别选择灭火方法。",
            t,
            "消防安全",
            "中",
            at=n,
        )
        yield truefalse(f"{fire}时，可以{wrong}。", False, f"应使用{right}。", t, "消防安全", "易")


def accountant() -> Iterator[Row]:
    """会计: facts, VAT and straight-line depreciation with varied amounts."""
    t = "会计"
    yield single(
        "会计基本等式是（ ）。",
        "资产 = 负债 + 所有者权益",
        ["资产 = 收入 - 费用", "负债 = 资产 + 所有者权益", "利润 = 资产 - 负债"],
        "会计恒等式。",
        t,
        "会计要素",
        "易",
    )
    yield multiple(
        "下列属于会计要素中资产的有（ ）。",
        ["库存现金", "应收账款", "固定资产"],
        ["短期借款", "实收资本"],
        "短期借款是负债，实收资本是所有者权益。",
        t,
        "会计要素",
    )
    yield truefalse(
        "会计档案中的会计凭证最低保管期限为 30 年。", True, "《会计档案管理办法》。", t, "会计档案"
    )
    yield truefalse(
        "出纳人员可以兼任稽核、会计档案保管和收入、支出、费用、债权债务账目的登记工作。",
        False,
        "《会计法》规定不得兼任。",
        t,
        "内部控制",
    )
    yield blank(
        "借贷记账法的记账规则是：有借必有贷，借贷必____。", "相等", "借贷记账法。", t, "记账方法", "易"
    )
    for n, amount in enumerate(
        [
            10000,
            20000,
            35000,
            50000,
            80000,
            120000,
            200000,
            6800,
            15500,
            42000,
            90000,
            300000,
            7200,
            64000,
            150000,
            27000,
        ]
    ):
        tax = round(amount * 0.13, 2)
        yield single(
            f"一般纳税人销售货物不含税价款 {amount} 元，适用税率 13%，销项税额为（ ）元。",
            f"{tax:g}",
            [
                f"{round(amount * 0.17, 2):g}",
                f"{round(amount * 0.09, 2):g}",
                f"{round(amount / 1.13 * 0.13, 2):g}",
            ],
            f"{amount} × 13% = {tax:g} 元。",
            t,
            "增值税",
            "中",
            at=n,
        )
        yield blank(
            f"不含税价款 {amount} 元、税率 13% 的货物，价税合计为____元。",
            f"{round(amount * 1.13, 2):g}",
            f"{amount} × (1 + 13%)。",
            t,
            "增值税",
            "中",
        )
    for n, (cost, salvage, years) in enumerate(
        [
            (100000, 4000, 5),
            (50000, 2000, 4),
            (120000, 0, 10),
            (36000, 6000, 5),
            (80000, 8000, 8),
            (24000, 0, 3),
            (60000, 3000, 5),
            (90000, 9000, 9),
            (45000, 5000, 4),
            (72000, 2000, 7),
        ]
    ):
        yearly = round((cost - salvage) / years, 2)
        yield single(
            f"某设备原值 {cost} 元，预计净残值 {salvage} 元，使用年限 {years} 年，"
            "按年限平均法每年折旧额为（ ）元。",
            f"{yearly:g}",
            [
                f"{round(cost / years, 2):g}" if salvage else f"{round(cost / (years + 1), 2):g}",
                f"{round((cost + salvage) / years, 2):g}",
                f"{round(cost * 2 / years, 2):g}",
            ],
            f"({cost} - {salvage}) / {years} = {yearly:g} 元。",
            t,
            "固定资产折旧",
            "难",
            at=n,
        )
    for assets, debts in [
        (500, 200),
        (800, 350),
        (1200, 700),
        (90, 40),
        (3000, 1800),
        (650, 150),
        (420, 300),
        (1500, 900),
        (2000, 1100),
        (760, 260),
        (330, 130),
        (980, 480),
    ]:
        yield blank(
            f"某企业资产总额 {assets} 万元，负债总额 {debts} 万元，则所有者权益为____万元。",
            f"{assets - debts}",
            "所有者权益 = 资产 - 负债。",
            t,
            "会计要素",
            "易",
        )
    kinds = (
        ["短期借款", "应付账款", "应付职工薪酬", "应交税费", "预收账款"],
        ["库存现金", "应收账款", "原材料", "实收资本", "固定资产"],
    )
    for n in range(5):
        yield multiple(
            f"下列项目中，属于负债的有（ ）。（第{n + 1}组）",
            [kinds[0][(n + i) % 5] for i in range(3)],
            [kinds[1][(n + i) % 5] for i in range(2)],
            "负债是企业承担的现时义务。",
            t,
            "会计要素",
        )


TRADES = (electrician, welder, safety, accountant)


def demo_rows() -> list[Row]:
    """Every generated question row, trades in order."""
    return [r for trade in TRADES for r in trade()]


@functools.cache
def demo_workbook() -> bytes:
    """The demo bank as an xlsx file in the import template's layout."""
    from .exporting import TEMPLATE_NOTES

    return tabular.write_xlsx(demo_rows(), TEMPLATE_NOTES)
