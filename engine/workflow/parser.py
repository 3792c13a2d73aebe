"""The BPMN/DMN parser: SpiffWorkflow's Camunda parser, plus assignee and candidate groups."""
from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnValidator, full_tag
from SpiffWorkflow.camunda.parser.CamundaParser import CamundaParser
from SpiffWorkflow.camunda.parser.task_spec import UserTaskParser
from SpiffWorkflow.camunda.specs.user_task import UserTask

ASSIGNEE = "camunda:assignee"
CANDIDATE_GROUPS = "camunda:candidateGroups"


class AssignableUserTaskParser(UserTaskParser):
    """Keeps `camunda:assignee` and `camunda:candidateGroups` in the task spec's extensions."""

    def parse_extensions(self, node=None):
        extensions = super().parse_extensions(node)
        for name in ("assignee", "candidateGroups"):
            value = self.attribute(name, "camunda")
            if value:
                extensions[f"camunda:{name}"] = value.strip()
        return extensions


class PlatformParser(CamundaParser):
    OVERRIDE_PARSER_CLASSES = {
        **CamundaParser.OVERRIDE_PARSER_CLASSES,
        full_tag("userTask"): (AssignableUserTaskParser, UserTask),
    }

    def __init__(self, validate_schema: bool = True):
        super().__init__(validator=BpmnValidator() if validate_schema else None)
