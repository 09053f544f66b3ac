"""Each kind of finding in the operator's words: a short title (what the app and the
CLI's text output show instead of the code) and why it gets an appeal rejected.

Codes (``placeholder_left``) are for scripts: ``--json`` carries them, and
``appealdesk check`` prints them in parentheses after the title.

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
    "unprintable_text": N_("a character no font has would print as an empty box"),
    "prevention_without_mechanism": N_("reviewers reject prevention that is only a promise"),
    "cause_not_specific": N_("reviewers ask for greater detail on root causes"),
    "actions_not_specific": N_("reviewers ask for greater detail on the actions taken"),
    "apology_not_cause": N_("an apology or a promise is not a root cause"),
    "cause_on_buyer": N_("a root cause that blames the buyer is rejected; reviewers want our "
                         "own process"),
    "cause_on_carrier": N_("a delay put on the carrier is not a root cause; reviewers want the "
                           "backup we lacked"),
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


TITLES = {
    "already_submitted": N_("Already submitted"),
    "apology_not_cause": N_("An apology instead of a cause"),
    "cause_on_buyer": N_("Blames the buyer"),
    "cause_on_carrier": N_("Blames the carrier"),
    "attempts_exhausted": N_("No appeals left"),
    "blames_marketplace": N_("Blames the marketplace"),
    "cause_not_specific": N_("Cause not specific"),
    "actions_not_specific": N_("Actions not specific"),
    "choice_left": N_("A choice left open"),
    "deadline_near": N_("Deadline near"),
    "deadline_passed": N_("Deadline passed"),
    "document_too_old": N_("Document too old"),
    "emotional_language": N_("Emotional wording"),
    "encrypted_pdf": N_("Encrypted PDF"),
    "evidence_missing": N_("Evidence missing"),
    "figure_mismatch": N_("Figure does not match the data"),
    "file_format": N_("File format not accepted"),
    "file_name": N_("File not named as asked"),
    "file_too_large": N_("File too large"),
    "letter_empty": N_("No letter yet"),
    "letter_too_large": N_("Letter file too large"),
    "listings_not_covered": N_("Listings not covered"),
    "missing_section": N_("Section missing"),
    "multiple_metrics": N_("More than one metric"),
    "non_english_text": N_("Text not in English"),
    "orders_not_covered": N_("Orders not covered"),
    "over_word_limit": N_("Too long"),
    "placeholder_left": N_("Placeholder left"),
    "prevention_without_mechanism": N_("Prevention without a mechanism"),
    "repeated_appeal": N_("The rejected letter again"),
    "section_empty": N_("Empty section"),
    "section_unchanged": N_("Section sent again unchanged"),
    "template_language": N_("Template wording"),
    "unsafe_link": N_("A link the PDF cannot carry"),
    "unprintable_text": N_("Characters the PDF cannot print"),
    "unsupported_claim": N_("Claim without evidence"),
}



def title(code: str) -> str:
    """A finding's title in the interface language; the code itself for an unknown one."""
    text = TITLES.get(code)
    return _(text) if text else code


def where_label(where: str) -> str:
    """ "letter:12" -> "line 12"; "evidence:invoice.pdf" -> "invoice.pdf"; anything else
    ("letter", "deadline", "requirement:carrier_tracking") -> "" (the message names it)."""
    kind, _sep, rest = where.partition(":")
    if kind == "letter" and rest.isdigit():
        return _("line {n}").format(n=rest)
    if kind == "evidence" and rest:
        return rest  # the file's name
    return ""  # the whole letter, the deadline, a requirement: the title and message say it


def reason(code: str) -> str:
    """Why a finding of ``code`` matters, translated; "" for a code without one."""
    text = REASONS.get(code)
    return _(text) if text else ""
