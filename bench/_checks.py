"""The checks that compare the systems' answers, and what the answers say, for RESULTS.md."""

from __future__ import annotations

from typing import Any

from bench._questions import QUESTIONS
from bench._report import RunInfo

__all__ = ["dig", "findings"]


def dig(data: Any, path: str) -> Any:
    """`data[a][b]...` for the path `a.b...`; None where a step is missing."""
    for part in path.split("."):
        data = data.get(part) if isinstance(data, dict) else None
    return data


def findings(
    records: list[dict[str, Any]],
    samples: dict[str, Any],
    peer_samples: dict[str, Any],
    info: RunInfo,
) -> None:
    for record in records:
        if record["errors"]:
            info.notes.append(
                f"{record['system']} `{record['question']}`: {record['errors']} errors; "
                f"{record['note']}"
            )
    outage = [
        edge["node"]
        for edge in dig(samples.get("simulate_outage"), "simulateOutage.services.edges") or []
    ]
    states = [s.get("state") for s in outage]
    if "simulate_outage" in samples:
        info.notes.append(
            f"`simulate_outage`: {len(states)} services, {states.count('DOWN')} DOWN, "
            f"{states.count('DEGRADED')} DEGRADED."
        )
    spof = dig(samples.get("single_points_of_failure"), "singlePointsOfFailure") or []
    if "single_points_of_failure" in samples:
        info.notes.append(f"`single_points_of_failure`: {len(spof)} single points of failure.")
    info.notes += _itsm_notes(samples)
    for question in QUESTIONS:
        if question.count_field and question.key in peer_samples:
            product = dig(samples.get(question.key), question.count_field)
            peer = dig(peer_samples[question.key], question.count_field)
            verdict = "agree" if product == peer else "DISAGREE"
            info.notes.append(
                f"`{question.key}`: product and peer {verdict} on the count "
                f"(product {product}, peer {peer})."
            )
    peer_spof = dig(peer_samples.get("single_points_of_failure"), "singlePointsOfFailure")
    if peer_spof is not None:
        info.notes.append(
            f"`single_points_of_failure`: the peer names {len(peer_spof)} "
            f"(the product {len(spof)}; the peer's answer is an approximation, see its note)."
        )
    peer_outage = dig(peer_samples.get("simulate_outage"), "simulateOutage.services")
    if peer_outage is not None:
        down = [s.get("state") for s in peer_outage].count("DOWN")
        info.notes.append(
            f"`simulate_outage`: the peer calls {down} of {len(peer_outage)} services DOWN "
            "(not redundancy-aware, see its note)."
        )


def _itsm_notes(samples: dict[str, Any]) -> list[str]:
    """What the change manager's and the service desk's answers held (one answer each)."""
    notes = []
    impact = dig(samples.get("impact_change_manager"), "impact")
    if impact:
        services = impact.get("services") or {}
        shown = [e["node"]["state"] for e in services.get("edges", [])]
        notes.append(
            f"`impact_change_manager`: {impact.get('count')} CIs impacted, "
            f"{services.get('totalCount')} services ({shown.count('DOWN')} of the first "
            f"{len(shown)} DOWN)."
        )
    incident = dig(samples.get("create_incident"), "createIncident.incident")
    if incident:
        notes.append(
            f"`create_incident`: priority {incident['priority']}, "
            f"{len(incident['impactedServices'])} impacted services computed."
        )
    change = dig(samples.get("assess_change"), "change")
    if change:
        risk = change["risk"]
        notes.append(
            f"`assess_change`: {change['number']} ({change['state']}), "
            f"{change['impactedCiCount']} CIs in the impact closure, "
            f"{len(change['impactedServices'])} impacted services, risk {risk['level']} "
            f"(score {risk['score']}, factors {', '.join(f['name'] for f in risk['factors'])}), "
            f"{len(change['conflicts'])} conflicts."
        )
    return notes
