"""The solicitation scan: contact details or touting phrases in a published answer.

The rules forbid lawyers to solicit offline business "in any explicit or implicit way"; a hit
puts the answer in the supervisors' review queue. `scan` is pure so that the review screen can
show the same reasons.
"""
import re
import unicodedata
from pathlib import Path

from engine.errors import N_, Message

# Chinese digits people use to slip a number past a filter: 一三八 一二三四 五六七八.
_CN_DIGITS = str.maketrans("零〇洞一幺壹二两贰三叁四肆五伍六陆七柒八捌九玖",
                           "00011122233445566778899")
_CN_DIGIT = "零〇洞一幺壹二两贰三叁四肆五伍六陆七柒八捌九玖0-9"
_CN_RUN = re.compile(rf"[{_CN_DIGIT}][{_CN_DIGIT}\s\-]{{9,}}")
# Separators inside a number: "138 1234 5678", "138-1234-5678", "1.3.8...".
_DIGIT_GAP = re.compile(r"(?<=\d)[\s\-—_.·/|,，、*]+(?=\d)")

_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)0\d{2,3}\d{7,8}(?!\d)")
_QQ = re.compile(r"(?:qq|扣扣|企鹅)\s*(?:号码?)?\s*[:：是为]?\s*\d{5,12}", re.I)
_WECHAT = re.compile(
    r"(?:微信|薇信|威信|v信|vx|wx|weixin|wechat)\s*(?:号)?\s*[:：是为]?\s*[a-z][-_a-z0-9]{5,19}",
    re.I)
_EMAIL = re.compile(r"[\w.+-]+\s*(?:@|\(at\)|\[at\]|\sat\s)\s*[\w-]+(?:\s*(?:\.|\(dot\)|\[dot\])\s*"
                    r"[a-z]{2,})+", re.I | re.ASCII)
PHRASES_FILE = Path(__file__).with_name("touting_phrases.txt")


def load_phrases(path: Path = PHRASES_FILE) -> list[str]:
    """The touting phrases kept as data, one regular expression a line (# starts a comment)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


_PHRASE = re.compile("|".join(f"(?:{p})" for p in load_phrases()), re.I)


def _normalize(text: str) -> str:
    """Full-width to ASCII (NFKC also turns ①②, ＠ and ｑｑ into 1 2 @ qq)."""
    return unicodedata.normalize("NFKC", text or "")


def _numbers(text: str) -> str:
    """The text with Chinese-digit runs turned into digits and gaps inside numbers closed."""
    text = _CN_RUN.sub(lambda m: m.group(0).translate(_CN_DIGITS), text)
    return _DIGIT_GAP.sub("", text)


def scan(text: str) -> list[str]:
    """Reasons the text looks like solicitation; empty when it is clean."""
    plain = _normalize(text)
    numbers = _numbers(plain)
    reasons = []
    if _MOBILE.search(numbers):
        reasons.append(N_("手机号码"))
    if _LANDLINE.search(numbers):
        reasons.append(N_("固定电话号码"))
    if _WECHAT.search(plain):
        reasons.append(N_("微信号"))
    if _QQ.search(numbers):
        reasons.append(N_("QQ号"))
    if _EMAIL.search(plain):
        reasons.append(N_("电子邮箱"))
    phrases = dict.fromkeys(m.group(0) for m in _PHRASE.finditer(plain))
    reasons.extend(Message("招揽用语：{phrase}", phrase=p) for p in phrases)
    return reasons
