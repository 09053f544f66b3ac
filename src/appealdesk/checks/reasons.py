"""Why each kind of finding gets an appeal rejected: one sentence per code.

The finding's message says what is wrong in this case; this says why it matters. Both
front ends show it (``appealdesk check`` as a "why:" line, the app in the finding's
detail), in the interface language.
"""

from __future__ import annotations

from appealdesk.i18n import N_, _

REASONS = {
    "missing_section": N_("reviewers look for each part of a Plan of Action and reject a letter "
                          "that lacks one"),
    "section_empty": N_("a part with a heading and no text counts as missing"),
    "over_word_limit": N_("a letter over the length the marketplace accepts is cut or rejected"),
    "non_english_text": N_("the marketplace reviews letters in English only"),
    "emotional_language": N_("emotional wording reads as a complaint, not a plan"),
    "blames_marketplace": N_("a letter that blames the marketplace is rejected"),
    "template_language": N_("reviewers reject templated letters that could be about any case"),
    "repeated_appeal": N_("a resubmission without new actions is rejected again"),
    "section_unchanged": N_("a part the reviewer already rejected, sent again as it was, is "
                            "rejected again"),
    "unsupported_claim": N_("a claim without the evidence that proves it is not believed"),
    "figure_mismatch": N_("a letter whose figures contradict the case's data is not believed"),
    "placeholder_left": N_("a template gap shows the letter was not written for this case"),
    "choice_left": N_("the draft could not tell which cause or action is true; only you can"),
    "multiple_metrics": N_("the marketplace takes one metric per case"),
    "attempts_exhausted": N_("the marketplace reviews a limited number of appeals"),
    "already_submitted": N_("a duplicate submission is rejected"),
    "unsafe_link": N_("the PDF cannot carry what the letter points at"),
    "prevention_without_mechanism": N_("reviewers reject prevention that is only a promise"),
    "cause_not_specific": N_("reviewers ask for greater detail on root causes"),
    "apology_not_cause": N_("an apology or a promise is not a root cause"),
    "deadline_passed": N_("an appeal after the deadline may not be reviewed"),
    "deadline_near": N_("the response window is about to close"),
    "letter_empty": N_("there is nothing to submit yet"),
    "letter_too_large": N_("the marketplace refuses files over its size limit"),
    "evidence_missing": N_("an appeal without the evidence the marketplace asks for is rejected"),
    "orders_not_covered": N_("evidence must cover every order the notice cites"),
    "document_too_old": N_("the marketplace accepts documents only within a time window"),
    "encrypted_pdf": N_("reviewers cannot open an encrypted PDF"),
    "file_format": N_("the marketplace accepts only some file formats"),
    "file_name": N_("files not named the way the marketplace asks are rejected"),
    "file_too_large": N_("the marketplace refuses files over its size limit"),
}


def reason(code: str) -> str:
    """Why a finding of ``code`` matters, translated; "" for a code without one."""
    text = REASONS.get(code)
    return _(text) if text else ""
