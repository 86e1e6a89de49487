"""Realistic data pools for the sample organisation: people, customers, products, places.

A pharmaceutical distributor (the ERP export of docs/forms.md has batch, expiry and
maker columns): reps sell to pharmacies, clinics and hospitals in three regions.
"""

from __future__ import annotations

__all__ = ["CUSTOMER_KINDS", "GIVEN_NAMES", "PRODUCTS", "REGIONS", "SURNAMES", "Product"]

from dataclasses import dataclass

SURNAMES = (
    "王",
    "李",
    "张",
    "刘",
    "陈",
    "杨",
    "黄",
    "赵",
    "吴",
    "周",
    "徐",
    "孙",
    "马",
    "朱",
    "胡",
    "郭",
    "何",
    "高",
    "林",
    "罗",
    "郑",
    "梁",
    "谢",
    "宋",
    "唐",
    "许",
    "韩",
    "冯",
    "邓",
    "曹",
)
GIVEN_NAMES = (
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "强",
    "磊",
    "洋",
    "艳",
    "勇",
    "军",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀英",
    "霞",
    "平",
    "刚",
    "桂英",
    "建华",
    "晓东",
    "丽华",
    "志强",
    "海燕",
    "文博",
    "欣怡",
    "子涵",
    "浩然",
    "雨萱",
    "俊杰",
)

# region -> (city, [team names]); two teams per region.
REGIONS: dict[str, tuple[str, tuple[str, str]]] = {
    "华东": ("上海", ("上海一组", "杭州组")),
    "华南": ("广州", ("广州组", "深圳组")),
    "华北": ("北京", ("北京一组", "天津组")),
}

# Customer name patterns per city: {city}{word}{kind}.
CUSTOMER_WORDS = (
    "益丰",
    "老百姓",
    "同仁",
    "康泰",
    "仁和",
    "华润",
    "国大",
    "海王",
    "一心",
    "济民",
    "百姓缘",
    "瑞康",
    "协和",
    "永安",
    "恒瑞",
    "金象",
    "安康",
    "德仁",
    "惠民",
    "天和",
)
CUSTOMER_KINDS = ("大药房", "药店", "社区卫生服务中心", "诊所", "医药有限公司", "医院")


@dataclass(frozen=True, slots=True)
class Product:
    name: str
    spec: str
    maker: str
    price: float  # unit price in yuan
    season: tuple[float, ...]  # relative demand Jan..Dec (cold medicines peak in winter)


_FLAT = (1.0,) * 12
_WINTER = (1.35, 1.1, 1.0, 0.85, 0.75, 0.7, 0.7, 0.75, 0.9, 1.05, 1.3, 1.45)
_SUMMER = (0.8, 0.8, 0.9, 1.0, 1.15, 1.25, 1.3, 1.25, 1.05, 0.95, 0.8, 0.75)

PRODUCTS = (
    Product("阿莫西林胶囊", "0.25g×24粒", "华北制药", 18.5, _WINTER),
    Product("头孢克肟片", "0.1g×6片", "石药集团", 32.0, _WINTER),
    Product("连花清瘟胶囊", "0.35g×24粒", "以岭药业", 26.8, _WINTER),
    Product("布洛芬缓释胶囊", "0.3g×20粒", "中美史克", 21.0, _WINTER),
    Product("藿香正气水", "10ml×10支", "太极集团", 15.6, _SUMMER),
    Product("蒙脱石散", "3g×10袋", "博福-益普生", 22.4, _SUMMER),
    Product("阿托伐他汀钙片", "20mg×7片", "辉瑞", 48.0, _FLAT),
    Product("二甲双胍缓释片", "0.5g×30片", "施贵宝", 36.5, _FLAT),
    Product("氨氯地平片", "5mg×28片", "辉瑞", 52.0, _FLAT),
    Product("复方丹参滴丸", "27mg×180丸", "天士力", 39.9, _FLAT),
)
