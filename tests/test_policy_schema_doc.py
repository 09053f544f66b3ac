"""policies/SCHEMA.md against the typed policy file (policy.schema): they cannot drift.

Every key table in SCHEMA.md is compared with the Struct it documents: the same
keys, the same required ones, the same kind of type. The vocabularies listed in
the prose (order facts, date bases, evidence kinds) are the code's. And every
shipped policy uses only keys the typed schema knows.
"""

from __future__ import annotations

import re
import tomllib
import types
import typing
from pathlib import Path

import msgspec
import pytest

from appealdesk.policy import schema
from appealdesk.policy.loading import shipped_policy_texts
from appealdesk.policy.types import (
    DATE_BASES,
    EVIDENCE_KINDS,
    MESSAGE_EXCLUSIONS,
    MESSAGE_FIELDS,
    ORDER_FACTS,
    RETURN_COMPONENTS,
    RETURN_FIELDS,
    WEEKDAYS,
)

DOC = Path(__file__).resolve().parent.parent / "policies" / "SCHEMA.md"
DURATION_KEYS = {"hours", "calendar_days", "business_days", "source"}


def doc_tables() -> dict[str, list[list[dict[str, str]]]]:
    """``{section heading: [table, ...]}``; a table is a list of rows {column: cell}."""
    sections: dict[str, list[list[dict[str, str]]]] = {}
    heading, header, table = "", None, None
    for line in DOC.read_text("utf-8").splitlines():
        if line.startswith("## "):
            heading = line[3:].strip()
            sections[heading] = []
            header = table = None
        elif line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if header is None:
                header = cells
                table = []
                sections[heading].append(table)
            elif not set("".join(cells)) <= set("-: "):
                table.append(dict(zip(header, cells, strict=False)))
        else:
            header = table = None
    return sections


def doc_keys(row: dict[str, str]) -> list[str]:
    """`` `name`, `name_zh` `` -> [name, name_zh]; `` `[[sites]]` `` -> [sites]."""
    return [k.strip("[]") for k in re.findall(r"`([^`]+)`", row["key"])]


def doc_required(row: dict[str, str], key: str) -> bool:
    text = row.get("required", "no")
    if re.match(r"yes\b(?! when)", text):
        return True
    return f"`{key}` yes" in text


def kind_of(annotation) -> str:
    """A Struct field's type, in the words of SCHEMA.md's type column."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return kind_of(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        kinds = {kind_of(a) for a in typing.get_args(annotation) if a is not type(None)}
        return kinds.pop() if len(kinds) == 1 else "/".join(sorted(kinds))
    if origin is list:
        return "list"
    if origin is typing.Literal:
        return kind_of(type(typing.get_args(annotation)[0]))
    if origin is dict or (isinstance(annotation, type) and issubclass(annotation, msgspec.Struct)):
        return "table"
    return {str: "string", int: "integer", float: "number", bool: "true/false"}[annotation]


def doc_kind(text: str) -> str:
    text = text.lower()
    for words, kind in (("array of tables", "list"), ("list", "list"), ("table", "table"),
                        ("duration table", "table"),
                        ("true/false", "true/false"), ("integer", "integer"),
                        ("number", "number"), ("string", "string"), ("order fact", "string"),
                        ("date basis", "string")):
        if text.startswith(words):
            return kind
    raise AssertionError(f"unknown type in SCHEMA.md: {text!r}")


# (section heading, index of the table in that section, the Struct it documents,
#  keys the Struct has beyond the table: a duration's own keys, documented in prose)
TABLES = [
    ("Top level", 0, schema.PolicyFile, set()),
    ("`[calendar]` and `[[sites]]`", 0, schema.CalendarTable, set()),
    ("`[calendar]` and `[[sites]]`", 1, schema.SiteTable, set()),
    ("`[recognise]`", 0, schema.RecogniseTable, set()),
    ("`[[notification_types]]`", 0, schema.NotificationTypeTable, set()),
    ("`[[notification_types]]`", 1, schema.ResponseTable, DURATION_KEYS),
    ("`[[followups]]`", 0, schema.FollowUpTable, set()),
    ("`[appeals]`", 0, schema.AppealsTable, set()),
    ("`[[metrics]]`", 0, schema.MetricTable, set()),
    ("`[[metrics]]`", 1, schema.WindowTable, set()),
    ("`[[evidence]]`", 0, schema.EvidenceTable, set()),
    ("`[files]`", 0, schema.FilesTable, set()),
    ("`[letter]` and `[[letter.sections]]`", 0, schema.LetterTable, set()),
    ("`[letter]` and `[[letter.sections]]`", 1, schema.SectionTable, set()),
    ("`[[report_formats]]`", 0, schema.ReportFormatTable, set()),
    ("`[order_export]`", 0, schema.OrderExportTable, set()),
    ("`[report_values]`", 0, schema.ReportValuesTable, set()),
    ("`[report_encodings]`", 0, schema.ReportEncodingsTable, set()),
    ("`[account_health]`", 0, schema.HealthMetricTable, set()),
    ("`[[message_metrics]]`", 0, schema.MessageMetricTable, set()),
    ("`[[message_metrics]]`", 1, schema.BusinessHoursTable, set()),
    ("`[[return_metrics]]`", 0, schema.ReturnMetricTable, set()),
]


def test_every_key_table_of_the_document_is_checked():
    tables = doc_tables()
    documented = {(h, i) for h, found in tables.items() for i in range(len(found))}
    assert documented == {(h, i) for h, i, _s, _x in TABLES}


@pytest.mark.parametrize("heading,index,struct,beyond", TABLES,
                         ids=[f"{t[2].__name__}" for t in TABLES])
def test_the_document_lists_the_typed_keys(heading, index, struct, beyond):
    rows = doc_tables()[heading][index]
    hints = typing.get_type_hints(struct, include_extras=True)
    fields = {f.name: f for f in msgspec.structs.fields(struct)}
    documented = {key: row for row in rows for key in doc_keys(row)}
    assert set(documented) == set(fields) - beyond, (
        f"SCHEMA.md '{heading}' table {index} and {struct.__name__} list different keys")
    for key, row in documented.items():
        required = fields[key].required
        assert doc_required(row, key) == required, (
            f"{struct.__name__}.{key}: SCHEMA.md says required={doc_required(row, key)}")
        if "type" in row:
            assert doc_kind(row["type"]) == kind_of(hints[key]), (
                f"{struct.__name__}.{key}: SCHEMA.md says {row['type']!r}")


def _prose_list(after: str) -> list[str]:
    text = DOC.read_text("utf-8")
    start = text.index(after) + len(after)
    return re.findall(r"`([^`]+)`", text[start:text.index(".\n", start)])


def test_the_vocabularies_in_the_document_are_the_codes():
    assert _prose_list("Order facts:") == list(ORDER_FACTS)
    assert _prose_list("Date bases:") == list(DATE_BASES)
    assert _prose_list("Message fields:") == list(MESSAGE_FIELDS)
    exclude_row = next(r for r in doc_tables()["`[[message_metrics]]`"][0]
                       if doc_keys(r) == ["exclude"])
    assert re.findall(r"`([a-z_]+)`", exclude_row["meaning"]) == list(MESSAGE_EXCLUSIONS)
    assert _prose_list("Return fields:") == list(RETURN_FIELDS)
    component_row = next(r for r in doc_tables()["`[[return_metrics]]`"][0]
                         if doc_keys(r) == ["components"])
    assert re.findall(r"`([a-z_]+)`", component_row["meaning"]) == list(RETURN_COMPONENTS)
    kind_row = next(r for r in doc_tables()["`[[evidence]]`"][0] if doc_keys(r) == ["kind"])
    assert re.findall(r"`([^`]+)`", kind_row["meaning"]) == list(EVIDENCE_KINDS)
    weekend_row = next(r for r in doc_tables()["`[calendar]` and `[[sites]]`"][0]
                       if doc_keys(r) == ["weekend"])
    assert re.findall(r"`([a-z]{3})`", weekend_row["meaning"]) == list(WEEKDAYS)


def _unknown_keys(value, struct, path="") -> list[str]:
    """Keys of a parsed table the Struct does not type (its nested Structs too)."""
    if not isinstance(value, dict):
        return []
    hints = typing.get_type_hints(struct)
    out = []
    for key, item in value.items():
        where = f"{path}.{key}" if path else key
        if key not in hints:
            out.append(where)
            continue
        inner = hints[key]
        for arg in (inner, *typing.get_args(inner)):
            for sub in (arg, *typing.get_args(arg)):
                if isinstance(sub, type) and issubclass(sub, msgspec.Struct):
                    for i, element in enumerate(item if isinstance(item, list) else [item]):
                        out += _unknown_keys(element, sub,
                                             f"{where}[{i}]" if isinstance(item, list) else where)
    return sorted(set(out))


@pytest.mark.parametrize("stem", sorted(shipped_policy_texts()))
def test_shipped_policies_use_only_typed_keys(stem):
    _origin, text = shipped_policy_texts()[stem]
    raw = tomllib.loads(text)
    schema.read_policy_file(raw)
    assert _unknown_keys(raw, schema.PolicyFile) == []


def test_a_misspelt_key_is_found_by_the_schema_walk():
    raw = tomllib.loads(shipped_policy_texts()["noon"][1])
    raw["files"]["max_byte"] = 1
    assert _unknown_keys(raw, schema.PolicyFile) == ["files.max_byte"]


def test_the_json_schema_is_generated_from_the_same_classes():
    generated = schema.policy_json_schema()
    policy = generated["$defs"]["PolicyFile"]
    assert set(policy["properties"]) == {f.name for f in msgspec.structs.fields(schema.PolicyFile)}
    assert {"id", "name", "calendar", "notification_types", "files", "letter"} <= set(
        policy["required"])
