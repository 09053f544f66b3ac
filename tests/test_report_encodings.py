"""Report files in the encodings marketplaces save them in (policy ``[report_encodings]``).

Amazon's US/EU flat files come in Windows-1252, amazon.co.jp's in Shift_JIS (cp932); a
seller in China who re-saves one in Excel writes GB18030. None may be garbled into
another, and the importer says which encoding it read."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from appealdesk.cli import main
from appealdesk.metrics.engine import compute_metrics
from appealdesk.policy.loading import load_policies
from appealdesk.policy.validation import validate
from appealdesk.reports.conversations import MessagesError, decode_text
from appealdesk.reports.encodings import choose_encoding, encodings_for
from appealdesk.reports.families import ORDERS, family_of
from appealdesk.reports.orders import ReportError, import_report, import_reports, mappings_for

FIX = Path(__file__).parent / "fixtures" / "reports" / "amazon"
POLICIES = load_policies()
AMAZON = POLICIES.get("amazon")
AS_OF = date(2026, 11, 30)
LATIN = ("Müller", "Señor", "Café")


def _all_orders_latin() -> str:
    """The All Orders fixture (published header) with Latin names cp1252 can hold."""
    text = (FIX / "all_orders.txt").read_text(encoding="utf-8")
    text = text.replace("Phone case, 透明", "Étui Müller, «Señor»")
    for n, name in enumerate(("SKU-A", "SKU-B", "SKU-C")):
        text = text.replace(f"\t{name}\t", f"\t{name}-{LATIN[n]}\t")
    return text.replace("SEATTLE", "KÖLN")


def _write(tmp_path: Path, name: str, text: str, encoding: str) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _metrics(result):
    return [(r.id, r.status, r.numerator, r.denominator, r.value)
            for r in compute_metrics(result.orders, AMAZON, AS_OF, known=result.known)]


def test_amazon_reads_utf8_cp1252_cp932_and_gb18030():
    assert encodings_for(AMAZON) == ("utf-8", "cp1252", "cp932", "gb18030")
    assert encodings_for(POLICIES.get("jd")) == ("utf-8", "gb18030")
    assert encodings_for(None) == ("utf-8", "gb18030")


def test_a_cp1252_all_orders_report_reads_like_its_utf8_twin(tmp_path):
    text = _all_orders_latin()
    utf8 = import_report(_write(tmp_path, "u.txt", text, "utf-8"), mappings_for(AMAZON),
                         encodings=encodings_for(AMAZON))
    latin = import_report(_write(tmp_path, "w.txt", text, "cp1252"), mappings_for(AMAZON),
                          encodings=encodings_for(AMAZON))
    assert (utf8.encoding, latin.encoding) == ("utf-8", "cp1252")
    assert latin.format == "amazon:all_orders" and not latin.bad_rows
    assert {"SKU-A-Müller", "SKU-B-Señor", "SKU-C-Café"} <= {o.sku for o in latin.orders}
    assert [o.sku for o in latin.orders] == [o.sku for o in utf8.orders]
    assert _metrics(latin) == _metrics(utf8)


def test_without_cp1252_in_the_policy_the_file_is_not_read_as_latin(tmp_path):
    path = _write(tmp_path, "w.txt", _all_orders_latin(), "cp1252")
    with pytest.raises(ReportError, match="not text in UTF-8 or GB18030"):
        import_report(path, mappings_for(AMAZON), encodings=("utf-8", "gb18030"))


def test_a_gb18030_export_still_reads_under_amazon(tmp_path):
    text = "订单号,下单时间,快递公司,物流单号,订单状态\nA1,2026-11-25 10:00,顺丰,SF1,已取消\n"
    path = _write(tmp_path, "erp.csv", text, "gb18030")
    result = import_report(path, mappings_for(AMAZON, {}, POLICIES),
                           encodings=encodings_for(AMAZON))
    assert result.encoding == "gb18030"
    assert result.orders[0].carrier == "顺丰"


@pytest.mark.parametrize("text, encoding, order, expected", [
    ("Müller,Señor,Café\n", "cp1252", ("utf-8", "gb18030", "cp1252"), "cp1252"),
    ("Müller,Señor,Café\n", "cp1252", ("utf-8", "cp1252", "gb18030"), "cp1252"),
    ("王小明,顺丰,已取消\n", "gb18030", ("utf-8", "cp1252", "gb18030"), "gb18030"),
    ("王小明,顺丰,已取消\n", "gb18030", ("utf-8", "gb18030", "cp1252"), "gb18030"),
    ("Müller,王小明\n", "utf-8", ("utf-8", "cp1252", "gb18030"), "utf-8"),
    # two accented letters side by side inside a word read as one GB18030 character
    # ("Gr鲞e"): a pair between letters is a Latin word's, not a Chinese character's
    ("T-Shirt Größe M,Hose Größe L\n", "cp1252", ("utf-8", "cp1252", "gb18030"), "cp1252"),
    ("Grüße\n", "cp1252", ("utf-8", "gb18030", "cp1252"), "cp1252"),
    ("T恤 M,3件套,SKU-毛线-1,A款\n", "gb18030", ("utf-8", "cp1252", "gb18030"), "gb18030"),
    ("T恤,A款B,红色,毛线帽\n", "gb18030", ("utf-8", "cp1252", "gb18030"), "gb18030"),
    # Shift_JIS (cp932): its second bytes may be ASCII ("ア" = 0x83 0x41), and GB18030
    # reads nearly all of it as rare Chinese characters; the kana decide
    ("歯ブラシ ステップ1,東京都 港区\n", "cp932", ("utf-8", "cp1252", "cp932", "gb18030"), "cp932"),
    ("歯ブラシ ステップ1,東京都 港区\n", "cp932", ("utf-8", "gb18030", "cp932"), "cp932"),
    ("アイス,ｱｲｽ 半角\n", "cp932", ("utf-8", "cp1252", "cp932", "gb18030"), "cp932"),
    ("王小明,顺丰,已取消\n", "gb18030", ("utf-8", "cp1252", "cp932", "gb18030"), "gb18030"),
    ("T恤 M,3件套,SKU-毛线-1,A款\n", "gb18030", ("utf-8", "cp932", "gb18030"), "gb18030"),
    ("Müller,Señor,Café\n", "cp1252", ("utf-8", "cp932", "cp1252", "gb18030"), "cp1252"),
    ("Télé été à Noël\n", "cp1252", ("utf-8", "cp1252", "cp932", "gb18030"), "cp1252"),
    ("Müller\n", "utf-8-sig", ("utf-8", "cp1252"), "utf-8-sig"),
    ("plain\n", "ascii", ("utf-8", "cp1252"), "utf-8"),
])
def test_the_encoding_chosen(text, encoding, order, expected):
    data = text.encode(encoding)
    assert choose_encoding(data, order) == expected
    assert data.decode(expected) == text


def test_a_shift_jis_order_report_from_amazon_co_jp_reads_its_japanese_names():
    """The order report as amazon.co.jp writes it: English headers, cp932 values."""
    path = FIX / "order_report_jp.txt"
    assert path.read_bytes().decode("cp932")  # the fixture is Shift_JIS, not UTF-8
    result = import_report(path, mappings_for(AMAZON), encodings=encodings_for(AMAZON))
    assert result.encoding == "cp932" and result.format == "amazon:order_report"
    assert not result.bad_rows and len(result.orders) == 3
    first = result.orders[0]
    assert first.sku == "JP-SKU-1"
    assert first.ship_by.isoformat() == "2026-11-08T14:59:59+00:00"  # +09:00 read
    text = path.read_bytes().decode("cp932")
    assert "歯ブラシ ステップ1 【8本セット】" in text and "東京都" in text


def test_without_cp932_a_shift_jis_file_would_be_garbled_as_gb18030():
    """Why cp932 is in Amazon's list: GB18030 reads Shift_JIS bytes without an error."""
    data = (FIX / "order_report_jp.txt").read_bytes()
    wrong = choose_encoding(data, ("utf-8", "cp1252", "gb18030"))
    assert wrong == "gb18030" and "歯ブラシ" not in data.decode(wrong)
    assert choose_encoding(data, encodings_for(AMAZON)) == "cp932"


def test_a_gb18030_chinese_export_is_still_gb18030_with_cp932_offered(tmp_path):
    text = ("订单号,下单时间,商品名称,快递公司,物流单号,订单状态\n"
            "A1,2026-11-25 10:00,毛线帽 红色,顺丰速运,SF1,已取消\n"
            "A2,2026-11-25 11:00,保温杯 三件套,中通快递,ZT2,已发货\n")
    path = _write(tmp_path, "erp.csv", text, "gb18030")
    result = import_report(path, mappings_for(AMAZON, {}, POLICIES),
                           encodings=encodings_for(AMAZON))
    assert result.encoding == "gb18030"
    assert [o.carrier for o in result.orders] == ["顺丰速运", "中通快递"]


def test_bytes_no_candidate_reads_are_refused_naming_the_candidates(tmp_path):
    text = (FIX / "all_orders.txt").read_text(encoding="utf-8").replace("透明", "x")
    path = tmp_path / "bad.txt"
    path.write_bytes(text.encode("utf-8").replace(b"SKU-B", b"SKU-\x81\x20B"))
    with pytest.raises(ReportError, match=r"byte 0x81 is not text in UTF-8 or cp1252"):
        import_report(path, mappings_for(AMAZON), encodings=("utf-8", "cp1252"))


def test_a_file_utf8_at_the_start_and_cp1252_later_is_read_whole(tmp_path, monkeypatch):
    from appealdesk.reports import files

    monkeypatch.setattr(files, "_detect_encoding", lambda head, enc: "utf-8")
    path = _write(tmp_path, "w.txt", _all_orders_latin(), "cp1252")
    result = import_reports([path], mappings_for(AMAZON), encodings=encodings_for(AMAZON))
    assert result.encoding == "cp1252"
    assert "SKU-A-Müller" in {o.sku for o in result.orders}


def test_message_exports_and_the_family_read_the_policy_encodings(tmp_path):
    data = "order_id,received_at,agent\nA1,2026-11-01 10:00,Müller\n".encode("cp1252")
    assert "Müller" in decode_text(data, "m.csv", encodings_for(AMAZON))
    with pytest.raises(MessagesError):
        decode_text(b"\x81\x81\x81", "m.csv", ("utf-8", "cp1252"))
    path = tmp_path / "m.csv"
    path.write_bytes(data)
    assert family_of(path, AMAZON) != ORDERS


def test_a_policy_must_try_utf8_first():
    raw = {**AMAZON.raw, "report_encodings": {"candidates": ["cp1252", "utf-8"], "source": "x"}}
    _policy, problems = validate(raw, check_holidays=False)
    assert any("report_encodings.candidates" in p for p in problems)
    raw["report_encodings"] = {"candidates": ["utf-8", "latin-9"], "source": "x"}
    _policy, problems = validate(raw, check_holidays=False)
    assert any("report_encodings" in p for p in problems)


def test_import_report_says_which_encoding_it_read(demo_workspace, capsys, tmp_path):
    ws = demo_workspace
    case_id = next(c for c in ws.store.case_ids() if c.startswith("amazon"))
    path = _write(tmp_path, "all_orders_de.txt", _all_orders_latin(), "cp1252")
    data = str(ws.store.root)
    assert main(["--data-dir", data, "import-report", case_id, str(path), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["encoding"] == "cp1252" and info["format"] == "amazon:all_orders"
    assert main(["--data-dir", data, "import-report", case_id, str(path)]) == 0
    assert "read as cp1252 text" in capsys.readouterr().out


@pytest.mark.parametrize("bom, encoding", [(b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le")])
def test_a_file_its_byte_order_mark_does_not_fit_is_refused(tmp_path, bom, encoding):
    data = bom + "order_id,received_at\nA1,".encode(encoding) + b"\xff\xd8\xff"
    with pytest.raises(MessagesError):
        decode_text(data, "m.csv", encodings_for(AMAZON))
    path = tmp_path / "o.csv"
    path.write_bytes(bom + b"\xff" + "order_id,order_date\nA1,2026-11-01\n".encode(encoding))
    with pytest.raises(ReportError):
        import_report(path, encodings=encodings_for(AMAZON))
    family_of(path, AMAZON)  # no exception


def test_a_cp1252_file_never_takes_the_utf8_only_columnar_path(tmp_path, monkeypatch):
    from appealdesk.reports import columnar

    asked: list[str] = []
    real = columnar.read_columnar

    def spy(*args):
        asked.append(args[-1])
        return real(*args)

    monkeypatch.setattr(columnar, "MIN_BYTES", 0)
    monkeypatch.setattr(columnar, "read_columnar", spy)
    path = _write(tmp_path, "w.txt", _all_orders_latin(), "cp1252")
    result = import_report(path, mappings_for(AMAZON), encodings=encodings_for(AMAZON))
    assert "SKU-A-Müller" in {o.sku for o in result.orders}
    assert asked in ([], ["cp1252"])  # asked at most with its encoding, which it refuses


def _twin(result):
    return [(o.order_id, o.order_date, o.order_status, o.fulfillment_channel, o.sku)
            for o in result.orders]


@pytest.mark.parametrize("name, data", [
    # Excel "Unicode Text (*.txt)": UTF-16 LE with a byte-order mark, tab-separated, CRLF
    ("unicode.txt", lambda t: b"\xff\xfe" + t.replace("\n", "\r\n").encode("utf-16-le")),
    # Excel "CSV UTF-8" with the "sep=," line Excel writes and reads back
    ("sep.csv", lambda t: b"\xef\xbb\xbf" + ("sep=,\n" + _as_csv(t, ",")).encode("utf-8")),
    # German Excel: semicolons (the comma is the decimal sign), Windows-1252
    ("de.csv", lambda t: _as_csv(t.replace("12.99", "12,99"), ";").encode("cp1252")),
])
def test_an_all_orders_report_saved_again_by_excel_reads_like_the_original(tmp_path, name,
                                                                          data):
    original = (FIX / "all_orders.txt").read_text(encoding="utf-8").replace("透明", "clear")
    path = tmp_path / name
    path.write_bytes(data(original))
    want = import_report(FIX / "all_orders.txt", mappings_for(AMAZON),
                         encodings=encodings_for(AMAZON))
    got = import_report(path, mappings_for(AMAZON), encodings=encodings_for(AMAZON))
    assert got.format == "amazon:all_orders" and not got.bad_rows
    assert _twin(got) == _twin(want)


def _as_csv(text: str, delimiter: str) -> str:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    for line in text.splitlines():
        writer.writerow(line.split("\t"))
    return out.getvalue()


@pytest.mark.parametrize("encoding", ["cp932", "utf-16"])
def test_a_cp932_or_utf16_file_never_takes_the_utf8_only_columnar_path(tmp_path, monkeypatch,
                                                                       encoding):
    from appealdesk.reports import columnar

    asked: list[str] = []
    real = columnar.read_columnar

    def spy(*args):
        asked.append(args[-1])
        return real(*args)

    monkeypatch.setattr(columnar, "MIN_BYTES", 0)
    monkeypatch.setattr(columnar, "read_columnar", spy)
    text = (FIX / "order_report_jp.txt").read_bytes().decode("cp932")
    path = _write(tmp_path, "jp.txt", text, encoding)
    result = import_report(path, mappings_for(AMAZON), encodings=encodings_for(AMAZON))
    assert result.encoding == encoding and len(result.orders) == 3
    assert asked in ([], [encoding])  # asked at most with its encoding, which it refuses


def test_a_large_shift_jis_file_whose_first_megabyte_is_ascii_is_still_cp932(tmp_path):
    """The first megabyte decides first (it reads as UTF-8 here); the whole file then
    decides again, and its Japanese lies beyond any fixed-size sample of the start."""
    lines = (FIX / "order_report_jp.txt").read_bytes().decode("cp932").splitlines()
    header, rows = lines[0], lines[1:]
    plain = [r.replace("歯ブラシ ステップ1 【8本セット】", "plain").replace("スマホケース 透明 クリア",
             "plain").replace("タオル 今治 2枚組", "plain").replace("山田 太郎", "Taro")
             .replace("港区六本木1-2-3", "Roppongi").replace("港区", "Minato")
             .replace("東京都", "Tokyo") for r in rows]
    filler = [p.replace("249-0000001-0000001", f"249-1{n:06d}-0000001")
              for n in range(4000) for p in plain[:1]]
    text = "\r\n".join([header, *filler, *rows]) + "\r\n"
    path = _write(tmp_path, "big_jp.txt", text, "cp932")
    assert path.stat().st_size > 1 << 20
    result = import_report(path, mappings_for(AMAZON), encodings=encodings_for(AMAZON))
    assert result.encoding == "cp932" and len(result.orders) == 4003
    assert path.read_bytes().decode(result.encoding) == text


def test_amazon_co_jp_order_report_and_shipping_confirmation_merge_into_late_shipments():
    """The JP shipping-confirmation template (cp932): a TemplateType line with a Japanese
    note, a row of Japanese labels, then the English keys (H: public JP converters)."""
    confirm = import_report(FIX / "ship_confirmation_jp.txt", mappings_for(AMAZON, {}, POLICIES),
                            encodings=encodings_for(AMAZON))
    assert confirm.encoding == "cp932" and confirm.format == "amazon:ship_confirmation"
    assert confirm.skipped_lines == 2 and not confirm.bad_rows
    assert [o.carrier for o in confirm.orders] == ["ヤマト運輸", "日本郵便", "佐川急便"]
    merged = import_reports([FIX / "order_report_jp.txt", FIX / "ship_confirmation_jp.txt"],
                            mappings_for(AMAZON), encodings=encodings_for(AMAZON))
    results = {r.id: r for r in compute_metrics(merged.orders, AMAZON, AS_OF,
                                                known=merged.known)}
    late = results["late_shipment_rate_30d"]
    assert (late.numerator, late.denominator) == (1, 3)
    assert late.orders == ["249-0000002-0000002"]


def test_import_report_reads_the_japanese_template_through_the_cli(demo_workspace, capsys):
    ws = demo_workspace
    case_id = next(c for c in ws.store.case_ids() if c.startswith("amazon"))
    data = str(ws.store.root)
    path = FIX / "ship_confirmation_jp.txt"
    assert family_of(path, AMAZON) == ORDERS
    assert main(["--data-dir", data, "import-report", case_id, str(path), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["encoding"] == "cp932" and info["format"] == "amazon:ship_confirmation"
