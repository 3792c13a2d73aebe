"""Interface texts the designer and admin scripts show, in the request's language."""
from flask_babel import gettext as _


def modeler_texts() -> dict[str, str]:
    return {
        "saved": _("草稿已保存"), "valid": _("校验通过，可以部署。"),
        "problems": _("发现 {n} 个问题："), "reason_required": _("请填写部署原因。"),
        "deployed": _("已部署："), "new": _("新版本"), "unchanged": _("未变化"),
        "failed": _("请求失败："), "busy": _("处理中……"), "whole_file": _("整个文件"),
        "first": _("首次部署"), "unchanged_v": _("与运行中的 v{n} 相同，不会产生新版本"),
        "changed_v": _("相对运行中的 v{n}："), "added": _("新增"), "removed": _("删除"),
        "changed": _("修改"), "layout_only": _("流程元素未变，只改了图形布局或文件内容"),
        "cancelled": _("已取消部署。"),
    }


def migration_texts() -> dict[str, str]:
    return {
        "can_migrate": _("可以迁移"), "refused": _("拒绝迁移"), "migrated": _("已迁移"),
        "reset": _("将重置："), "removed": _("将移除："), "none_selected": _("请先选择实例。"),
        "reason_required": _("请填写迁移原因。"), "rollback_reason": _("回滚原因（必填）："),
        "rolled_back": _("已回滚"), "rollback": _("回滚"), "failed": _("请求失败："),
        "done": _("完成：{ok} 个已迁移，{bad} 个被拒绝。"), "instance": _("实例"),
        "confirm": _("确定将 {n} 个实例迁移到新版本？"),
    }
