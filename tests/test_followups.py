"""Follow-up timers after submission, from the policies' [[followups]]."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from appealdesk.cases.model import Case, HistoryEntry, Notification, Status, Submission
from appealdesk.deadlines.followups import case_timers, fill_title, mark_done
from appealdesk.policy.loading import load_policies

POLICIES = load_policies()
SUBMITTED = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)


def joom_case(**kw) -> Case:
    return Case(
        id="joom-n-889123",
        marketplace="joom",
        store="Lucky Cat Store",
        status=Status.SUBMITTED,
        notification=Notification(type="high_cancellation", external_id="N-889123",
                                  received=SUBMITTED - timedelta(days=1)),
        submissions=[Submission(at=SUBMITTED, operator="li")],
        **kw,
    )


def by_id(timers):
    return {t.id: t for t in timers}


def test_joom_ticket_timer_says_what_to_do_with_the_title_filled_in():
    now = SUBMITTED + timedelta(hours=1)
    timers = by_id(case_timers(joom_case(), POLICIES.get("joom"), now))
    ticket = timers["urgent_ticket"]
    assert ticket.due == SUBMITTED + timedelta(hours=24)
    assert ticket.title == "URGENT: Appeal Submitted for N-889123"
    assert "Support Ticket" in ticket.action
    assert ticket.state == "due"
    assert timers["chase_ticket"].due == SUBMITTED + timedelta(hours=72)
    assert "resubmit_after_rejection" not in timers  # nothing was rejected


def test_timers_are_sorted_and_turn_overdue():
    now = SUBMITTED + timedelta(hours=30)
    timers = case_timers(joom_case(), POLICIES.get("joom"), now)
    assert [t.due for t in timers] == sorted(t.due for t in timers)
    assert by_id(timers)["urgent_ticket"].state == "overdue"
    assert by_id(timers)["chase_ticket"].state == "due"


def test_until_outcome_timers_are_cancelled_by_an_outcome_and_rejection_starts_its_own():
    case = joom_case()
    rejected_at = SUBMITTED + timedelta(hours=50)
    case.submissions[0].outcome = "rejected"
    case.submissions[0].outcome_at = rejected_at
    case.status = Status.REJECTED
    timers = by_id(case_timers(case, POLICIES.get("joom"), rejected_at + timedelta(hours=1)))
    assert timers["chase_ticket"].state == "cancelled"
    assert timers["urgent_ticket"].state == "overdue"  # not until_outcome: still to do
    resubmit = timers["resubmit_after_rejection"]
    assert resubmit.due == rejected_at + timedelta(hours=72)
    assert resubmit.started == rejected_at and resubmit.state == "due"


def test_a_resubmission_answers_the_rejection_timer():
    case = joom_case()
    rejected_at = SUBMITTED + timedelta(hours=50)
    case.submissions[0].outcome = "rejected"
    case.submissions[0].outcome_at = rejected_at
    case.submissions.append(Submission(at=rejected_at + timedelta(hours=10), operator="li"))
    timers = by_id(case_timers(case, POLICIES.get("joom"), rejected_at + timedelta(hours=11)))
    assert timers["resubmit_after_rejection"].state == "done"
    # the new submission restarts the submitted timers
    assert timers["urgent_ticket"].started == rejected_at + timedelta(hours=10)
    assert timers["chase_ticket"].state == "due"


def test_mark_done():
    case = joom_case()
    mark_done(case, "urgent_ticket", operator="li", at=SUBMITTED + timedelta(hours=2))
    timers = by_id(case_timers(case, POLICIES.get("joom"), SUBMITTED + timedelta(hours=30)))
    assert timers["urgent_ticket"].state == "done"
    assert timers["chase_ticket"].state == "due"


def test_closed_or_archived_cases_have_no_open_timers():
    case = joom_case()
    case.status = Status.ARCHIVED
    timers = case_timers(case, POLICIES.get("joom"), SUBMITTED + timedelta(hours=30))
    assert timers and all(t.state == "cancelled" for t in timers)


def test_noon_ticket_after_five_business_days_in_riyadh():
    riyadh = ZoneInfo("Asia/Riyadh")
    submitted = datetime(2026, 11, 19, 14, 0, tzinfo=riyadh)  # Thursday; Fri/Sat weekend
    case = Case(id="noon-perf-204518", marketplace="noon", site="noon.sa",
                status=Status.SUBMITTED,
                notification=Notification(type="late_shipment", external_id="PERF-204518"),
                submissions=[Submission(at=submitted, operator="li")])
    timers = case_timers(case, POLICIES.get("noon"), submitted)
    assert len(timers) == 1
    # Sun 22, Mon 23, Tue 24, Wed 25, Thu 26 November
    assert timers[0].due == datetime(2026, 11, 26, 14, 0, tzinfo=riyadh)
    assert timers[0].title == "Appeal under review for PERF-204518"


def test_status_history_alone_starts_timers():
    at = SUBMITTED
    case = joom_case()
    case.submissions = []
    case.history = [HistoryEntry(at=at, operator="li", event="status", from_status="ready",
                                 to_status="submitted")]
    timers = by_id(case_timers(case, POLICIES.get("joom"), at))
    assert timers["urgent_ticket"].due == at + timedelta(hours=24)


def test_no_policy_or_no_submission_means_no_timers():
    assert case_timers(joom_case(), None, SUBMITTED) == []
    case = joom_case()
    case.submissions = []
    assert case_timers(case, POLICIES.get("joom"), SUBMITTED) == []


def test_fill_title_keeps_unknown_placeholders_and_survives_bad_templates():
    case = joom_case()
    filled = fill_title("{store}: {notification_id} {nope}", case)
    assert filled == "Lucky Cat Store: N-889123 {nope}"
    assert fill_title("broken {", case) == "broken {"
    case.notification.external_id = None
    assert fill_title("for {notification_id}", case) == "for joom-n-889123"
