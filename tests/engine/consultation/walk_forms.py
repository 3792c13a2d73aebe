"""Form data for the invariant walker, drawn from a task's form description.

Nothing here names a task: values follow each field's type, options and limits, so a field
a designer adds to a diagram is filled (and broken) like the others. Person and institution
fields get ids of the seeded world, mostly plausible ones, sometimes not.
"""
from hypothesis import strategies as st

from engine.workflow.forms import FieldInfo

# Answers a lawyer may write: plain guidance, public numbers (innocent), and touting.
CLEAN_TEXTS = (
    "根据《劳动合同法》第三十条，用人单位应当及时足额支付劳动报酬；可向劳动监察大队投诉或申请劳动仲裁。",
    "建议先与对方协商，协商不成可向人民调解委员会申请调解，也可以拨打12348公共法律服务热线。",
    "此事可向所在区法律援助中心申请法律援助，携带身份证和相关证据材料。",
    "合同约定不明确的，可以协议补充；不能达成补充协议的，按照合同相关条款或者交易习惯确定。",
)
TOUTING_TEXTS = (
    "情况比较复杂，加我微信 lawyerwang88 详细聊。",
    "请直接致电13812345678与我联系，我可以代理。",
    "欢迎来我所面谈，费用可以优惠。",
)
# Questions: clean ones, and ones whose words hint at a concluded or pending case.
CLEAN_QUESTIONS = ("公司三个月没发工资，我该怎么办？", "房东不退押金，合同里写了可以退。",
                   "离婚后孩子的抚养费怎么计算？")
HINT_QUESTIONS = ("法院的判决已经生效了，但对方一直不履行，我还能怎么办？",
                  "这个案子正在法院审理中，下周开庭，我该怎么准备？")
DECLARED = ("none", "none", "none", "petition", "concluded", "in_litigation")


def _text(field: FieldInfo, draw) -> str:
    touting = draw(st.integers(0, 3)) == 0  # one text in four touts
    text = draw(st.sampled_from(TOUTING_TEXTS if touting else CLEAN_TEXTS))
    if field.maxlength is not None:
        text = text[:field.maxlength]
    if field.minlength is not None and len(text) < field.minlength:
        text = text + "。" * (field.minlength - len(text))
    return text


def _number(field: FieldInfo, draw, people: dict[str, list[int]]) -> int:
    if field.id.endswith("institution_id"):
        pool = people["institutions"]
    else:  # anyone: the diagram's checks decide who may take the work
        pool = people["lawyers"] + people["staff"] + people["experts"] + people["others"]
    value = draw(st.sampled_from(pool))
    low, high = field.min, field.max
    if (low is not None and value < low) or (high is not None and value > high):
        return low if low is not None else high
    return value


def value_for(field: FieldInfo, draw, people: dict[str, list[int]]):
    """A value the field's own constraints accept (None for an optional field left empty)."""
    if not field.required and field.type != "boolean" and draw(st.integers(0, 4)) == 0:
        return None
    if field.type == "enum":
        return draw(st.sampled_from([o["id"] for o in field.options]))
    if field.type == "boolean":
        return draw(st.booleans())
    if field.type == "long":
        return _number(field, draw, people)
    if field.type == "date":
        return "2026-03-05"
    return _text(field, draw)


def valid_data(form: list[FieldInfo], draw, people: dict[str, list[int]]) -> dict:
    """Data for every writable field (the diagram's own checks may still refuse it)."""
    return {f.id: value_for(f, draw, people) for f in form if not f.readonly}


def invalid_data(form: list[FieldInfo], draw, people: dict[str, list[int]]) -> dict:
    """Data the form itself must refuse: an unknown field, a required one missing, a choice
    not offered, a text too long or a number out of range."""
    data = valid_data(form, draw, people)
    writable = [f for f in form if not f.readonly]
    breakable = ["unknown"]
    breakable += [f"missing:{f.id}" for f in writable if f.required]
    breakable += [f"choice:{f.id}" for f in writable if f.type == "enum"]
    breakable += [f"long:{f.id}" for f in writable if f.type == "string" and f.maxlength]
    breakable += [f"range:{f.id}" for f in writable if f.type == "long" and f.min is not None]
    how, _, name = draw(st.sampled_from(breakable)).partition(":")
    field = next((f for f in writable if f.id == name), None)
    if how == "unknown":
        data["no_such_field"] = "x"
    elif how == "missing":
        del data[name]
    elif how == "choice":
        data[name] = "no_such_option"
    elif how == "long":
        data[name] = "长" * (field.maxlength + 1)
    else:
        data[name] = field.min - 1
    return data
