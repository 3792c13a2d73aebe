"""Words for the parts of a diagram a migration's diff names (element kinds, changed properties)."""
from flask_babel import lazy_gettext as _l

# SpiffWorkflow spec classes, as a modeler calls the elements.
KINDS = {
    "UserTask": _l("用户任务"), "ScriptTask": _l("脚本任务"), "ServiceTask": _l("服务任务"),
    "ManualTask": _l("人工任务"), "BusinessRuleTask": _l("业务规则任务"),
    "CallActivity": _l("调用活动"), "SubWorkflowTask": _l("子流程"),
    "ExclusiveGateway": _l("排他网关"), "ParallelGateway": _l("并行网关"),
    "InclusiveGateway": _l("包容网关"), "EventBasedGateway": _l("事件网关"),
    "StartEvent": _l("开始事件"), "EndEvent": _l("结束事件"),
    "IntermediateCatchEvent": _l("中间捕获事件"), "IntermediateThrowEvent": _l("中间抛出事件"),
    "BoundaryEvent": _l("边界事件"), "SendTask": _l("发送任务"), "ReceiveTask": _l("接收任务"),
}
# Properties of an element that a new version may change.
PROPERTIES = {
    "bpmn_name": _l("名称"), "inputs": _l("流入连线"), "outputs": _l("流出连线"),
    "cond_task_specs": _l("分支条件"), "default_task_spec": _l("默认分支"),
    "script": _l("脚本"), "extensions": _l("扩展属性（表单、处理人等）"),
    "lane": _l("泳道"), "documentation": _l("说明"), "event_definition": _l("事件定义"),
    "data_input_associations": _l("数据输入"), "data_output_associations": _l("数据输出"),
    "io_specification": _l("输入输出规格"), "prescript": _l("前置脚本"),
    "postscript": _l("后置脚本"), "cancel_activity": _l("是否中断"),
    "condition": _l("条件"), "decision_table": _l("决策表"), "spec": _l("被调用的流程"),
    "manual": _l("人工标记"), "loop_characteristics": _l("多实例设置"),
}


def kind_label(kind: str) -> str:
    """An element kind in the current language (the class name when unknown)."""
    return str(KINDS.get(kind, kind))


def property_label(name: str) -> str:
    """A changed property in the current language; an unknown one is 'another property'."""
    label = PROPERTIES.get(name)
    return str(label) if label is not None else str(_l("其他属性"))
