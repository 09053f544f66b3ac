"""Amazon's own statement of the account: the account health (seller performance) report.

The SP-API report ``GET_V2_SELLER_PERFORMANCE_REPORT`` is JSON (schema:
``schemas/reports/accountHealthReport-2020-11-18.json`` in
amzn/selling-partner-api-models): ``accountStatuses`` and one
``performanceMetrics`` entry per marketplace, each holding metrics such as
``lateShipmentRate`` ``{reportingDateRange, orderCount, lateShipmentCount,
status, rate, targetValue, targetCondition}``, some nested per fulfilment
type (``orderDefectRate.mfn``) or listed (``lateShipmentRateList``). The same
data saved from Seller Central (one such document, or the ``performanceMetrics``
entry alone) reads the same way.

Every metric the file lists is kept (status, value, numerator/denominator,
window, every other field as written); fields this module does not know are
kept in ``raw``, never fatal. A policy's ``[[account_health.metrics]]`` says
which entry is which of its metrics (``key``) and which counts are its
numerator and denominator; when an entry's window length differs from the
metric's rolling window by more than a day it is not that metric (a 30-day
late shipment rate is not the 10-day one).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from appealdesk.i18n import _
from appealdesk.reports.table import ReportError

FORMAT = "account_health"
_METRIC_KEYS = ("rate", "status", "ahrStatus", "reportingDateRange", "defectsCount")
_DENOMINATORS = ("orderCount", "shipmentCount", "shipmentCountWithValidTracking",
                 "totalUnitCount")


@dataclass
class HealthMetric:
    key: str  # "lateShipmentRate", "orderDefectRate.mfn", "lateShipmentRateList[1]"
    marketplace: str
    status: str  # GOOD | BAD | NONE | an account rating status | ""
    value: float | None  # the rate, 0..1
    target: float | None
    condition: str  # LESS_THAN | GREATER_THAN | EQUALS | ""
    numerator: int | None
    denominator: int | None
    window_start: date | None
    window_end: date | None
    raw: dict[str, Any] = field(default_factory=dict)
    metric_id: str = ""  # the policy metric it states, when known

    @property
    def base_key(self) -> str:
        key = self.key.split("[", 1)[0]
        return key[:-4] if key.endswith("List") else key

    @property
    def days(self) -> int | None:
        if self.window_start and self.window_end:
            return (self.window_end - self.window_start).days + 1
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key, "metric": self.metric_id or None, "marketplace": self.marketplace,
            "status": self.status, "value": self.value, "target": self.target,
            "condition": self.condition, "numerator": self.numerator,
            "denominator": self.denominator,
            "window_start": self.window_start.isoformat() if self.window_start else None,
            "window_end": self.window_end.isoformat() if self.window_end else None,
        }


@dataclass
class HealthReport:
    file: str
    accounts: list[tuple[str, str]]  # (marketplace id, account status)
    metrics: list[HealthMetric]
    raw: Any = None  # the whole document, as read

    def for_metric(self, metric_id: str) -> HealthMetric | None:
        return next((m for m in self.metrics if m.metric_id == metric_id), None)

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file,
                "accounts": [{"marketplace": m, "status": s} for m, s in self.accounts],
                "metrics": [m.to_dict() for m in self.metrics]}


def looks_like_health_report(path: Path) -> bool:
    """A JSON file (by its first character), which order reports never are."""
    try:
        with open(path, "rb") as f:
            head = f.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError:
        return False
    return head[:1] in (b"{", b"[")


def _day(text: Any) -> date | None:
    if not isinstance(text, str) or len(text) < 10:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _number(obj: dict[str, Any], path: str) -> Any:
    node: Any = obj
    for part in path.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def _as_int(value: Any) -> int | None:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _as_float(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _metric(key: str, marketplace: str, obj: dict[str, Any]) -> HealthMetric:
    range_obj = obj.get("reportingDateRange")
    span: dict[str, Any] = range_obj if isinstance(range_obj, dict) else {}
    den_key = next((k for k in _DENOMINATORS if _as_int(obj.get(k)) is not None), None)
    num_key = next((k for k, v in obj.items() if k != den_key and k.endswith("Count")
                    and _as_int(v) is not None), None)
    numerator = _as_int(obj.get(num_key)) if num_key else None
    if numerator is None and isinstance(obj.get("orderWithDefects"), dict):
        numerator = _as_int(obj["orderWithDefects"].get("count"))
    status = obj.get("status", obj.get("ahrStatus", ""))
    return HealthMetric(
        key=key, marketplace=marketplace, status=str(status or ""),
        value=_as_float(obj.get("rate")), target=_as_float(obj.get("targetValue")),
        condition=str(obj.get("targetCondition", "") or ""), numerator=numerator,
        denominator=_as_int(obj.get(den_key)) if den_key else None,
        window_start=_day(span.get("reportingDateFrom")),
        window_end=_day(span.get("reportingDateTo")), raw=obj)


def _is_metric(obj: Any) -> bool:
    return isinstance(obj, dict) and any(k in obj for k in _METRIC_KEYS)


def _walk(entry: dict[str, Any]) -> list[HealthMetric]:
    marketplace = str(entry.get("marketplaceId", "") or "")
    out = []
    for key, value in entry.items():
        if _is_metric(value):
            out.append(_metric(key, marketplace, value))
        elif isinstance(value, dict):  # per fulfilment type: {"afn": {...}, "mfn": {...}}
            out.extend(_metric(f"{key}.{k}", marketplace, v) for k, v in value.items()
                       if _is_metric(v))
        elif isinstance(value, list):
            out.extend(_metric(f"{key}[{i}]", marketplace, v) for i, v in enumerate(value)
                       if _is_metric(v))
    return out


def _find_entries(doc: Any, depth: int = 0) -> list[dict[str, Any]] | None:
    """The performanceMetrics entries, wherever the saved document put them."""
    if isinstance(doc, dict):
        pm = doc.get("performanceMetrics")
        if isinstance(pm, list):
            return [e for e in pm if isinstance(e, dict)]
        if isinstance(pm, dict):
            return [pm]
        if depth < 3:
            for value in doc.values():
                found = _find_entries(value, depth + 1)
                if found is not None:
                    return found
        if sum(_is_metric(v) for v in doc.values()) >= 2:  # one entry saved alone
            return [doc]
    elif isinstance(doc, list) and depth < 3:
        for value in doc:
            found = _find_entries(value, depth + 1)
            if found is not None:
                return found
    return None


def read_health_report(path: Path | str, policy: Any = None) -> HealthReport:
    """Read an account health report; ReportError (one line) when it is not one."""
    path = Path(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ReportError(_("{name}: cannot read it ({error})").format(
            name=path.name, error=exc)) from None
    except json.JSONDecodeError as exc:
        raise ReportError(_("{name}: not valid JSON (line {line}: {error})").format(
            name=path.name, line=exc.lineno, error=exc.msg)) from None
    entries = _find_entries(doc)
    if entries is None:
        raise ReportError(_(
            "{name} is JSON but not an account health report: it has no performanceMetrics"
        ).format(name=path.name))
    metrics = [m for entry in entries for m in _walk(entry)]
    accounts = []
    if isinstance(doc, dict) and isinstance(doc.get("accountStatuses"), list):
        accounts = [(str(a.get("marketplaceId", "")), str(a.get("status", "")))
                    for a in doc["accountStatuses"] if isinstance(a, dict)]
    report = HealthReport(path.name, accounts, metrics, doc)
    if policy is not None:
        match_policy(report, policy)
    return report


def match_policy(report: HealthReport, policy: Any) -> None:
    """Tag each entry with the policy metric it states (``[[account_health.metrics]]``)."""
    entries = ((getattr(policy, "raw", {}) or {}).get("account_health", {}) or {}).get(
        "metrics", []) or []
    table = {e.get("metric"): e for e in entries if isinstance(e, dict)}
    for metric in policy.metrics:
        spec = table.get(metric.id)
        if not isinstance(spec, dict) or not spec.get("key"):
            continue
        key = str(spec["key"])
        days = metric.window.days if metric.window.kind == "rolling" else None
        for entry in report.metrics:
            if entry.metric_id or entry.base_key != key.split("[", 1)[0] and entry.key != key:
                continue
            if days and entry.days is not None and abs(entry.days - days) > 1:
                continue
            entry.metric_id = metric.id
            for attr in ("numerator", "denominator"):
                if spec.get(attr):
                    found = _as_int(_number(entry.raw, str(spec[attr])))
                    if found is not None:
                        setattr(entry, attr, found)
            break


def check_account_health(raw: dict[str, Any]) -> list[str]:
    """Problems in a policy's ``[account_health]`` (for ``policies check``)."""
    table = raw.get("account_health")
    if table is None:
        return []
    if not isinstance(table, dict) or not isinstance(table.get("metrics", []), list):
        return ["account_health: a table with [[account_health.metrics]] entries"]
    problems = [] if table.get("source") else ["account_health.source: is required"]
    ids = {m.get("id") for m in raw.get("metrics", []) if isinstance(m, dict)}
    for i, spec in enumerate(table.get("metrics", [])):
        where = f"account_health.metrics[{i}]"
        if not isinstance(spec, dict) or not isinstance(spec.get("key"), str):
            problems.append(f'{where}: needs key = "..."')
        elif spec.get("metric") not in ids:
            problems.append(f"{where}.metric: no such metric {spec.get('metric')!r}")
    return problems


__all__ = ["FORMAT", "HealthMetric", "HealthReport", "check_account_health",
           "looks_like_health_report", "match_policy", "read_health_report"]
