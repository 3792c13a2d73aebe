"""The solicitation scan on published answers: contact details and touting, not legal text."""
from pathlib import Path

import pytest

from engine.consultation.solicitation import load_phrases, scan

SOLICITING = [
    ("请加我微信 lawyer_zhang88 详谈", "微信号"),
    ("微信号：zhang-lawyer", "微信号"),
    ("ｖｘ：ａｂｃ１２３４５", "微信号"),  # full-width letters and digits
    ("wx: abc_12345", "微信号"),
    ("我的手机号是13812345678", "手机号码"),
    ("电话１３８１２３４５６７８", "手机号码"),  # full-width digits
    ("电话 138 1234 5678", "手机号码"),  # spaced digits
    ("138-1234-5678", "手机号码"),
    ("1.3.8.1.2.3.4.5.6.7.8", "手机号码"),
    ("一三八一二三四五六七八", "手机号码"),  # Chinese digits
    ("幺三八 幺二三四 五六七八", "手机号码"),
    ("壹叁捌壹贰叁肆伍陆柒捌", "手机号码"),
    ("①③⑧①②③④⑤⑥⑦⑧", "手机号码"),  # circled digits
    ("所里电话010-12345678", "固定电话号码"),
    ("QQ：12345678", "QQ号"),
    ("扣扣 987654321", "QQ号"),
    ("ｑｑ号 ５５５６６６７７", "QQ号"),
    ("邮箱 zhang@example.com", "电子邮箱"),
    ("zhang (at) example (dot) com", "电子邮箱"),
    ("zhang＠example．com", "电子邮箱"),
    ("有需要可以私下联系", "招揽用语：私下联系"),
    ("线下委托我就行", "招揽用语：线下委托我"),
    ("建议委托我所代理", "招揽用语：委托我"),
    ("欢迎来我们律所面谈", "招揽用语：来我们律所"),
    ("加我好友细聊", "招揽用语：加我好友"),
    ("给我打电话吧", "招揽用语：给我打电话"),
]

CLEAN = [
    "根据《劳动合同法》第八十二条，用人单位应当向劳动者每月支付二倍的工资。",
    "请拨打12348公共法律服务热线，或者拨打 12345 市民热线。",
    "遇到紧急情况请立即拨打110报警。",
    "2023年5月1日至2024-01-01期间的加班费可以一并主张。",
    "可以将微信聊天记录、转账记录作为证据提交。",
    "建议您委托律师代理诉讼，或者申请法律援助。",
    "如需线下委托，请通过北京法网提出，由值班人员统一安排。",
    "赔偿金额为138000元，诉讼费约为1,380元。",
    "案号(2023)京0105民初12345号的判决已经生效。",
    "依据第1、2、3条的规定处理。",
    "身份证号码不要随意提供给他人。",
    "可以向劳动争议仲裁委员会申请仲裁，仲裁时效为一年。",
    "您可以要求对方通过QQ邮箱发送电子合同。",
]


@pytest.mark.parametrize("text,reason", SOLICITING)
def test_soliciting_text_is_flagged(text, reason):
    assert reason in scan(text)


@pytest.mark.parametrize("text", CLEAN)
def test_ordinary_legal_text_is_clean(text):
    assert scan(text) == []


def test_reasons_are_listed_once_each():
    reasons = scan("加我微信 abc12345，或者加我微信 abc12345，电话13812345678")
    assert reasons.count("微信号") == 1 and "手机号码" in reasons
    assert reasons.count("招揽用语：加我微信") == 1


CORPUS = Path(__file__).resolve().parents[2] / "data" / "touting_corpus.tsv"


def _corpus() -> dict[str, list[str]]:
    texts: dict[str, list[str]] = {"touting": [], "innocent": []}
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            label, text = line.split("\t", 1)
            texts[label].append(text)
    return texts


def test_the_corpus_is_caught_and_innocent_answers_pass():
    """At least 95 % of touting answers are held, at most 5 % of innocent ones."""
    corpus = _corpus()
    assert len(corpus["touting"]) >= 60 and len(corpus["innocent"]) >= 60
    missed = [text for text in corpus["touting"] if not scan(text)]
    held = [text for text in corpus["innocent"] if scan(text)]
    caught = 1 - len(missed) / len(corpus["touting"])
    print(f"touting caught {caught:.1%}, innocent held {len(held) / len(corpus['innocent']):.1%}")
    assert caught >= 0.95, missed
    assert len(held) / len(corpus["innocent"]) <= 0.05, held


def test_public_hotlines_and_court_numbers_are_innocent():
    for text in ("请拨打12348", "法院诉讼服务热线12368", "投诉请拨打12315", "劳动监察12333",
                 "拨打 010-12348 转法律援助"):
        assert "手机号码" not in scan(text) and "固定电话号码" not in scan(text), text


def test_the_phrase_table_is_data(tmp_path):
    """A phrase added to the table is found; the table's comments are not phrases."""
    table = tmp_path / "phrases.txt"
    table.write_text("# a comment\n到府服务\n", encoding="utf-8")
    assert load_phrases(table) == ["到府服务"]
    assert load_phrases() and all(not p.startswith("#") for p in load_phrases())
