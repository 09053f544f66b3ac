"""The normalised orders: ``Order`` records kept column-wise in an ``OrderTable``."""

from __future__ import annotations

import threading
from array import array
from collections.abc import Callable, Iterable, Iterator, MutableMapping, Sequence
from dataclasses import dataclass, field
from itertools import compress
from typing import Any, overload

from appealdesk.policy.types import DATE_BASES
from appealdesk.reports.dates import NONE, When, _encode, decode_when

GENERIC_COLUMNS = (
    "order_id", "order_date", "ship_by", "shipped_at", "promised_delivery", "delivered_at",
    "cancelled_at", "cancelled_by", "tracking_number", "tracking_valid", "carrier", "sku",
    "negative_feedback", "claim", "chargeback", "returned_at", "return_reason",
)
# The order's date columns are the dates a metric's window may count by (its basis):
# one list, kept with the policy vocabulary.
DATE_FIELDS = DATE_BASES
BOOL_FIELDS = ("tracking_valid", "negative_feedback", "claim", "chargeback")
# Read as text; what their values mean is declared by a policy ([report_values]).
VALUE_FIELDS = ("order_status", "item_status", "fulfillment_channel", "buyer_cancel_request")
# Several lines of one order with different values of a VALUE_FIELD (an order
# shipped but one item cancelled) keep them all, joined by this; a value rule
# matches any of them (metrics.evaluation).
VALUE_SEP = " | "
# Optional text beyond the generic header: ``listing`` is the marketplace's listing id
# (ASIN on Amazon), shown beside the SKU; no metric reads it.
EXTRA_FIELDS = ("listing",)
TEXT_FIELDS = ("tracking_number", "carrier", "sku", "return_reason", *VALUE_FIELDS,
               *EXTRA_FIELDS)
# Every field a report can feed (a generic CSV may also have the VALUE_FIELDS and
# EXTRA_FIELDS).
ALL_FIELDS = (*GENERIC_COLUMNS, *VALUE_FIELDS, *EXTRA_FIELDS)
CANCELLERS = ("", "seller", "buyer", "platform")  # code = index


class KnownFields(frozenset[str]):
    """The fields some column of the report(s) gave; ``entered``: those of them read
    from a date the seller typed rather than the moment the marketplace recorded
    (``[[report_formats]] entered``)."""

    entered: frozenset[str]

    def __new__(cls, fields: Iterable[str], entered: Iterable[str] = ()) -> KnownFields:
        made = super().__new__(cls, fields)
        made.entered = frozenset(entered)
        return made


class ReportError(Exception):
    """A file that cannot be read as an order report at all (one line)."""


@dataclass(slots=True)
class Order:
    """One order, normalised. Dates are ``date`` (a bare date), naive ``datetime``
    (taken as written, in the policy's time zone) or aware ``datetime``."""

    order_id: str
    order_date: When = None
    ship_by: When = None
    shipped_at: When = None
    promised_delivery: When = None
    delivered_at: When = None
    cancelled_at: When = None
    cancelled_by: str = ""  # seller | buyer | platform | ""
    tracking_number: str = ""
    tracking_valid: bool = False
    carrier: str = ""
    sku: str = ""
    negative_feedback: bool = False
    claim: bool = False
    chargeback: bool = False
    returned_at: When = None
    return_reason: str = ""
    order_status: str = ""  # as written: Shipped, Cancelled, 已取消 ...
    item_status: str = ""  # the line's own status (Amazon's item-status), as written
    fulfillment_channel: str = ""  # as written: MFN, AFN, Merchant, Amazon ...
    buyer_cancel_request: str = ""  # as written: whether the buyer asked to cancel (true/false)
    listing: str = ""  # the marketplace's listing id as written (ASIN on Amazon)


@dataclass
class DateColumn:
    """One date field for every order: ``kinds`` (NONE/DATE/NAIVE/AWARE per order)
    and ``seconds`` (UTC epoch for AWARE, wall-clock epoch for the others)."""

    kinds: bytearray = field(default_factory=bytearray)
    seconds: array = field(default_factory=lambda: array("d"))

    def value(self, i: int) -> When:
        return decode_when(self.kinds[i], self.seconds[i])


class TextColumns(MutableMapping[str, list[str]]):
    """The text fields of a table, field -> one string per order. A reader may
    leave groups of them to a loader, called once, on first use of one of its
    fields, under a lock: the columnar path reads the texts no metric needs
    only when something shows them."""

    def __init__(self, columns: dict[str, list[str]]) -> None:
        self._columns = columns
        self._pending: dict[str, Callable[[], dict[str, list[str]]]] = {}
        self._lock = threading.Lock()

    def defer(self, names: Iterable[str], load: Callable[[], dict[str, list[str]]]) -> None:
        """``load`` gives the fields ``names`` (all of them) when first needed."""
        for name in names:
            self._pending[name] = load

    def _fill(self, name: str) -> None:
        with self._lock:
            load = self._pending.get(name)
            if load is not None:
                loaded = load()
                self._columns.update(loaded)
                for done in [n for n, f in self._pending.items() if f is load]:
                    del self._pending[done]

    def __getitem__(self, name: str) -> list[str]:
        if name in self._pending:
            self._fill(name)
        return self._columns[name]

    def __setitem__(self, name: str, values: list[str]) -> None:
        self._pending.pop(name, None)
        self._columns[name] = values

    def __delitem__(self, name: str) -> None:
        self._pending.pop(name, None)
        del self._columns[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._columns)

    def __len__(self) -> int:
        return len(self._columns)


class OrderTable(Sequence[Order]):
    """Orders kept column-wise; indexing or iterating gives ``Order`` records."""

    def __init__(self, n: int = 0) -> None:
        self.order_id: list[str] = []
        self.dates: dict[str, DateColumn] = {f: DateColumn() for f in DATE_FIELDS}
        self.text = TextColumns({f: [] for f in TEXT_FIELDS})
        self.flags: dict[str, bytearray] = {f: bytearray() for f in BOOL_FIELDS}
        self.cancelled_by = bytearray()

    def __len__(self) -> int:
        return len(self.order_id)

    @overload
    def __getitem__(self, i: int) -> Order: ...

    @overload
    def __getitem__(self, i: slice) -> list[Order]: ...

    def __getitem__(self, i: int | slice) -> Order | list[Order]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        values: dict[str, Any] = {"order_id": self.order_id[i]}
        for name, col in self.dates.items():
            values[name] = col.value(i)
        for name, texts in self.text.items():
            values[name] = texts[i]
        for name, flags in self.flags.items():
            values[name] = bool(flags[i])
        values["cancelled_by"] = CANCELLERS[self.cancelled_by[i]]
        return Order(**values)

    def __iter__(self) -> Iterator[Order]:
        return (self[i] for i in range(len(self)))

    def index_of(self) -> dict[str, int]:
        return {oid: i for i, oid in enumerate(self.order_id)}

    def keep(self, mask: bytes) -> None:
        """Keep only the rows whose byte in ``mask`` is non-zero."""
        self.order_id = list(compress(self.order_id, mask))
        for col in self.dates.values():
            col.kinds = bytearray(compress(col.kinds, mask))
            col.seconds = array("d", compress(col.seconds, mask))
        for name in TEXT_FIELDS:
            self.text[name] = list(compress(self.text[name], mask))
        for name in BOOL_FIELDS:
            self.flags[name] = bytearray(compress(self.flags[name], mask))
        self.cancelled_by = bytearray(compress(self.cancelled_by, mask))

    @classmethod
    def from_orders(cls, orders: Iterable[Order]) -> OrderTable:
        table = cls()
        for order in orders:
            table.append(order)
        return table

    def append(self, order: Order) -> None:
        self.order_id.append(order.order_id)
        for name, col in self.dates.items():
            value = getattr(order, name)
            kind, seconds = _encode(value) if value is not None else (NONE, 0.0)
            col.kinds.append(kind)
            col.seconds.append(seconds)
        for name in TEXT_FIELDS:
            self.text[name].append(getattr(order, name) or "")
        for name in BOOL_FIELDS:
            self.flags[name].append(1 if getattr(order, name) else 0)
        self.cancelled_by.append(CANCELLERS.index((order.cancelled_by or "").lower()))


@dataclass
class ImportResult:
    orders: OrderTable
    bad_rows: list[tuple[int, str]]
    format: str  # generic | <policy id> | mapped:<name>
    rows: int  # data rows read (good + bad)
    files: list[str] = field(default_factory=list)
    merged: int = 0  # rows that were another line of an order already seen
    # field -> the column it was read from ("file: header" once files are merged)
    columns: dict[str, str] = field(default_factory=dict)
    guessed: list[str] = field(default_factory=list)  # "file: format" read by a guess
    skipped_lines: int = 0  # lines before the header (a template's preamble)
    format_names: list[str] = field(default_factory=list)  # "file: report name"
    encoding: str = ""  # the text encoding read ("utf-8", "cp1252", ...; "a+b" once merged)
    entered: frozenset[str] = frozenset()  # fields read from dates the seller typed

    @property
    def known(self) -> KnownFields:
        """The fields some column of the report(s) gave (and which were typed dates)."""
        return KnownFields(self.columns, self.entered & frozenset(self.columns))

