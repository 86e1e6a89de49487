"""Customer identity: the key two spellings of one customer's name share."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalise_name"]

_NAME_NOISE = re.compile(r"[\s\-_.,，。·()（）\[\]【】'\"“”‘’/\\]+")
_COMPANY_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "公司")


def normalise_name(name: str) -> str:
    """Customer name key: full-width folded, lower case, no spaces or punctuation, no 有限公司."""
    text = _NAME_NOISE.sub("", unicodedata.normalize("NFKC", name).lower())
    for suffix in _COMPANY_SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix) + 1:
            return text[: -len(suffix)]
    return text
