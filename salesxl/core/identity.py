"""Customer identity: the key two spellings of one customer's name share."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalise_name"]

_NAME_NOISE = re.compile(r"[\s\-_.,，。·()（）\[\]【】'\"“”‘’/\\]+")
_COMPANY_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "公司")


def normalise_name(name: str) -> str:
    """Customer name key: full-width folded, lower case, no spaces or punctuation, no 有限公司.
    A name that is its own key comes back as itself, not as an equal copy: keys are kept for
    every trail (a cold-calling month has 200,000) and cross processes once (pickle's memo)."""
    text = unicodedata.normalize("NFKC", name).lower()
    # Every noise character is a space or punctuation, never a letter or digit: a name of
    # letters and digits only (most Chinese names) has none, found in C without the
    # regular expression (a cold-calling month normalises 200,000 names).
    if not text.isalnum():
        text = _NAME_NOISE.sub("", text)
    if text.endswith("公司"):  # every suffix ends so
        for suffix in _COMPANY_SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix) + 1:
                return text[: -len(suffix)]
    return name if text == name else text
