"""Changes (RFCs) in Neo4j (docs/concepts.md, "Change enablement"): create, update, assess,
authorise, implement and review them, with their impact snapshot, risk and conflicts; the freeze
and maintenance windows they are scheduled against."""

from graph.changes._caused import CausedIncident, CauseLink
from graph.changes._conflicts import Conflict
from graph.changes._model import Approval, Change, ChangeImpact, ChangePage, ChangeTransition
from graph.changes._prepare import NewChange
from graph.changes._query import ChangeFilter, ChangeOrder, ChangeOrderField
from graph.changes._repository import ChangeRepository
from graph.changes._risk import ChangeAssessment
from graph.changes._schedule import Schedule
from graph.changes._snapshot import ImpactDifference, ServiceChange
from graph.changes._success import ChangeFailureRate, success_score_of
from graph.changes._suspects import SuspectedChange
from graph.changes._windows import WindowRepository

__all__ = [
    "Approval",
    "CauseLink",
    "CausedIncident",
    "Change",
    "ChangeAssessment",
    "ChangeFailureRate",
    "ChangeFilter",
    "ChangeImpact",
    "ChangeOrder",
    "ChangeOrderField",
    "ChangePage",
    "ChangeRepository",
    "ChangeTransition",
    "Conflict",
    "ImpactDifference",
    "NewChange",
    "Schedule",
    "ServiceChange",
    "SuspectedChange",
    "WindowRepository",
    "success_score_of",
]
