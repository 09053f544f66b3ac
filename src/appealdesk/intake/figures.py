"""Figures a notice quotes: the seller's own rate, and the threshold it is held to.

A metric is named (its English or Chinese name without a trailing "(10 days)",
or a keyword of a type that watches one metric); the percentages after it on
the same line are read:

* the first one within 40 characters is the seller's figure, unless a
  threshold phrase introduces it;
* a percentage introduced by goal / target / requirement / limit / threshold /
  less than / below / under / above / exceed / allowed / at least / 目标 / 要求 / 低于 /
  超过 / 标准 … (in the words since the last "is" / "为"), or followed by one
  ("the 95% requirement", "1% 的目标"), is the threshold, not the seller's figure.

"our goal of less than 4%" alone gives a threshold and no figure, so `metrics`
never compares the seller's report with a target it mistook for their rate.
"""

from __future__ import annotations

import re

from appealdesk.cases.model import QuotedMetric
from appealdesk.intake.vocabulary import vocabulary
from appealdesk.policy.types import Policy

_PERCENT = re.compile(r"(?<![\d.])(\d{1,4}(?:\.\d+)?)[ ]?%")
_WINDOW_DAYS = re.compile(r"(\d{1,3})[ -]?(?:days?|天|日)", re.IGNORECASE)
_FIGURE_GAP = 40  # the seller's figure follows the metric's name closely
_LINE_REACH = 160  # a threshold may come later in the sentence
_BLOCK_LINES = 4  # "label: value" lines after a metric's line that still belong to it
# words after which the next figure is the seller's again: "... is 6.8%", "为 6.8%"
_COPULA = re.compile(r"\b(?:is|was|are|were|stands at|reached|currently|now)\b|为|是|达到|目前",
                     re.IGNORECASE)
THRESHOLD_BEFORE = (
    "goal", "target", "requirement", "required", "require", "limit", "threshold", "less than",
    "lower than", "greater than", "more than", "below", "above", "exceed", "allowed", "maximum",
    # "sellers maintain an ODR under 1%" (V: help G200285170); not "over", which is mostly
    # "over the last 30 days"
    "under",
    "minimum", "at least", "at most", "no more than", "not exceed", "standard", "benchmark",
    "<", ">", "≤", "≥",
    "目标", "要求", "低于", "高于", "超过", "超出", "不超过", "不得", "标准", "上限", "下限",
    "至少",
    "不低于", "不高于", "小于", "大于", "阈值",
)
THRESHOLD_AFTER = (
    "target", "goal", "requirement", "limit", "threshold", "standard", "benchmark", "maximum",
    "minimum", "的目标", "目标", "的要求", "要求", "的标准", "标准", "的上限", "上限", "的下限",
    "下限", "的阈值", "阈值",
    "未満",  # Japanese: "4%未満に抑える" (amazon.co.jp help 200285190)
)


_BEFORE_RE = re.compile("|".join(re.escape(c) for c in THRESHOLD_BEFORE), re.IGNORECASE)
_AFTER_RE = re.compile("(?:" + "|".join(re.escape(c) for c in THRESHOLD_AFTER) + ")",
                       re.IGNORECASE)


# "平台标准为 9%", "our target is 4%": the noun just before the "is" / "为" names a threshold
_NOUN_BEFORE_COPULA = re.compile(
    r"(?:target|goal|requirement|limit|threshold|standard|benchmark|maximum|minimum|"
    r"目标|要求|标准|上限|下限|阈值)[ ]?$", re.IGNORECASE)
# "... for orders placed between 10/25/2026 and 11/24/2026 is 3.1%": the seller's figure
# after a longer phrase, when "is" / "为" introduces it (and no other figure comes between)
_FIGURE_GAP_AFTER_COPULA = 90
_ENDS_WITH_COPULA = re.compile(r"(?:\b(?:is|was|are|were|stands at|reached)|为|是|达到)[ ]?:?[ ]?$",
                               re.IGNORECASE)


def is_threshold(before: str, after: str) -> bool:
    """Whether a percentage with these words around it is a threshold."""
    cut, start = 0, -1
    for copula in _COPULA.finditer(before):
        cut, start = copula.end(), copula.start()
    words = before[cut:]
    if start >= 0 and _NOUN_BEFORE_COPULA.search(before[:start]):
        return True
    return bool(_BEFORE_RE.search(words) or _AFTER_RE.match(after.lstrip(" ")))


def detect_metrics(
    text: str, policy: Policy | None
) -> tuple[list[QuotedMetric], list[QuotedMetric]]:
    """(the seller's figures, the thresholds stated), each in text order, one per metric."""
    if policy is None:
        return [], []
    figures: list[tuple[int, QuotedMetric]] = []
    thresholds: list[tuple[int, QuotedMetric]] = []
    taken: set[int] = set()  # start offsets of percentages already assigned
    have_figure: set[str] = set()
    have_threshold: set[str] = set()
    lower = text.lower()
    for first_word, pattern, candidates in vocabulary(policy).metric_names:
        if first_word not in lower:
            continue  # the regex scan costs far more than this check
        for match in pattern.finditer(text):
            if all(m in have_figure and m in have_threshold for m in candidates):
                break  # each metric has its figure and its threshold: the rest is repetition
            line_end = _sentence_end(text, match.end())
            block_end = _block_end(text, line_end)
            segment_end = block_end if block_end > line_end else min(
                line_end, match.end() + _LINE_REACH)
            metric_id = _pick_metric(policy, candidates, text, match, line_end, block_end)
            if metric_id in have_figure and metric_id in have_threshold:
                continue
            previous = match.end()
            for pct in _PERCENT.finditer(text, match.end(), segment_end):
                start = pct.start()
                before, after = text[previous:start], text[pct.end(): pct.end() + 12]
                previous = pct.end()
                if start in taken:
                    continue
                value = round(float(pct.group(1)) / 100, 6)
                quoted = QuotedMetric(metric_id, value, text[match.start(): pct.end()].strip())
                if is_threshold(before, after):
                    if metric_id not in have_threshold:
                        have_threshold.add(metric_id)
                        taken.add(start)
                        thresholds.append((match.start(), quoted))
                elif (metric_id not in have_figure and "%" not in text[match.end():start]
                      and (start - match.end() <= _FIGURE_GAP
                           or (start - match.end() <= _FIGURE_GAP_AFTER_COPULA
                               and _ENDS_WITH_COPULA.search(before)))):
                    have_figure.add(metric_id)
                    taken.add(start)
                    figures.append((match.start(), quoted))
    figures.sort(key=lambda item: item[0])
    thresholds.sort(key=lambda item: item[0])
    return [q for _p, q in figures], [q for _p, q in thresholds]


def _sentence_end(text: str, start: int) -> int:
    """The end of the line, or of the next ones while a line wraps mid-sentence
    (it ends in a letter or a comma, and the next line is not blank)."""
    limit = min(len(text), start + _LINE_REACH)
    end = text.find("\n", start, limit)
    while end >= 0:
        previous = text[end - 1] if end > 0 else ""
        wraps = (previous.isascii() and previous.isalpha()) or previous in ",，"
        if not wraps or text[end + 1:end + 2] in ("\n", ""):
            return end
        end = text.find("\n", end + 1, limit)
    return limit


def _block_end(text: str, line_end: int) -> int:
    """Where a "label: value" block about one metric ends: the lines after its
    own that say no other figure ("Time period: 30 days") or state a target
    ("Target: Under 4%"), up to a blank line. ``line_end`` when there are none."""
    end = line_end
    for _n in range(_BLOCK_LINES):
        if text[end:end + 1] != "\n":
            break
        nxt = text.find("\n", end + 1, end + 1 + _LINE_REACH)
        if nxt < 0:
            if len(text) - end - 1 > _LINE_REACH:
                break  # a line longer than a label's is prose, not part of the block
            nxt = len(text)
        line = text[end + 1:nxt].strip()
        if not line or ("%" in line and not _BEFORE_RE.match(line)):
            break
        end = nxt
    return end


def _pick_metric(policy: Policy, candidates: list[str], text: str, match: re.Match,
                 line_end: int, block_end: int) -> str:
    """Of metrics sharing a name, the one whose window the line mentions (or the
    rest of its block, when the line names none), else the first."""
    if len(candidates) == 1:
        return candidates[0]
    # the line around the name, never more than a sentence's reach (a 1 MB one-line paste)
    line_start = text.rfind("\n", max(0, match.start() - _LINE_REACH), match.start()) + 1
    line_start = max(line_start, match.start() - _LINE_REACH)
    days = {int(d) for d in _WINDOW_DAYS.findall(text[line_start:line_end])}
    if not days:
        days = {int(d) for d in _WINDOW_DAYS.findall(text[line_end:block_end])}
    for metric_id in candidates:
        metric = policy.metric(metric_id)
        if metric and metric.window.days in days:
            return metric_id
    return candidates[0]
