"""What a consultation's page reads beside its row, sent together in one round trip: its
answers, the audit events of its timeline, and its latest offline engagement
(engine.consultation.cases.get_consultation)."""
from sqlalchemy import bindparam, select

from engine.models import Answer, AuditEvent, Referral
from engine.statements.prepared import Prepared

_A, _E, _R = Answer.__table__, AuditEvent.__table__, Referral.__table__

ANSWERS = Prepared(select(_A).where(_A.c.consultation_id == bindparam("cid"))
                   .order_by(_A.c.id))
EVENTS = Prepared(select(_E.c.id, _E.c.at, _E.c.actor_id, _E.c.action, _E.c.task_id,
                         _E.c.task_key, _E.c.data)
                  .where(_E.c.business_key == bindparam("key")).order_by(_E.c.id))
LATEST_REFERRAL = Prepared(select(_R).where(_R.c.consultation_id == bindparam("cid"))
                           .order_by(_R.c.id.desc()).limit(1))
