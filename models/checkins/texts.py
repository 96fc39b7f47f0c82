"""What check-ins say, channel-neutral: each message and its buttons, from a `Say`.

The Telegram handlers (and later WhatsApp's) only look the data up and hand these
messages to their channel. Button actions: `cia` answer, `cic` please call, `cip` pause,
`cis` stop, `cib` buddy invite answer, `cbs` stop being a buddy, `cig`/`cin` "I'll go" /
"I can't", `cio` a buddy's outcome, `ciw` a worker takes the alarm, `cwo` a worker's
outcome, `civ` agree to be asked as a buddy.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from models.checkins.model import (
    CLOSING_OUTCOMES,
    PAUSE_DAYS,
    TIMES,
    AlarmView,
    BuddyStatus,
    CallLine,
    CheckInCard,
    Frequency,
    Outcome,
    Overview,
    ProxyCall,
    RoundInfo,
    RoundStatus,
    Schedule,
    State,
)
from models.messages import Button, OutgoingMessage, keyboard, outgoing, press
from models.say import Say

MONDAY = date(2026, 11, 30)  # any Monday: weekday names come from the calendar


def day_name(s: Say, weekday: int) -> str:
    """ "maandag"."""
    return s.weekday(MONDAY + timedelta(days=weekday))


def clock(minute_of_day: int) -> str:
    """ "09:00"."""
    return "{:02d}:{:02d}".format(*divmod(minute_of_day, 60))


def when(s: Say, schedule: Schedule) -> str:
    """ "elke dag om 09:00", "op maandag en donderdag om 09:00"."""
    days = [day_name(s, d) for d in schedule.days]
    at = clock(schedule.minute_of_day)
    if schedule.frequency is Frequency.DAILY or not days:
        return s.p("checkins.when.daily", time=at)
    if schedule.frequency is Frequency.WEEKLY:
        return s.p("checkins.when.weekly", day=days[0], time=at)
    listed = (
        days[0]
        if len(days) == 1
        else s.p("checkins.when.and", first=", ".join(days[:-1]), last=days[-1])
    )
    return s.p("checkins.when.days", days=listed, time=at)


def answer_rows(s: Say, round_id: int) -> list[list[Button]]:
    """The three answers, and a quiet way out."""
    return [
        [press(s.p("checkins.answer.good"), "cia", round_id, "good")],
        [press(s.p("checkins.answer.not_good"), "cia", round_id, "not_good")],
        [press(s.p("checkins.answer.talk"), "cia", round_id, "talk")],
        [
            press(s.p("checkins.pause_button"), "cip", "ask"),
            press(s.p("checkins.stop_button"), "cis", "ask"),
        ],
    ]


def _greeting(s: Say, moment: datetime) -> str:
    hour = moment.astimezone(s.tz).hour
    if hour < 12:
        return s.p("checkins.prompt.morning")
    if hour < 18:
        return s.p("checkins.prompt.afternoon")
    return s.p("checkins.prompt.evening")


def prompt(s: Say, info: RoundInfo) -> OutgoingMessage:
    """ "Goedemorgen Anna, alles goed?" with three buttons."""
    sent = info.round.sent_at or info.round.due_at
    text = s.t("checkins.prompt.text", greeting=_greeting(s, sent), name=info.resident_name)
    return outgoing(text, keyboard(answer_rows(s, info.round.id)))


def reminder(s: Say, info: RoundInfo) -> OutgoingMessage:
    """Halfway: a gentle second message, with the same buttons."""
    end = info.round.window_ends_at or info.round.due_at
    text = s.t("checkins.reminder", name=info.resident_name, time=s.clock(end))
    return outgoing(text, keyboard(answer_rows(s, info.round.id)))


def answered(s: Say, answer: str, late: bool, buddy: str | None, round_id: int) -> OutgoingMessage:
    """What the resident hears after pressing one of the three buttons."""
    if late:
        return outgoing(s.t("checkins.answered.late", name=buddy or s.p("checkins.your_buddy")))
    if answer == "not_good":
        rows: list[list[Button]] = []
        if buddy:
            rows.append([press(s.p("checkins.call_me", name=buddy), "cic", round_id, "not_good")])
        rows.append([press(s.p("checkins.professional"), "m", "pro")])
        rows.append([press(s.p("checkins.no_thanks"), "cic", round_id, "no")])
        return outgoing(s.t("checkins.answered.not_good"), keyboard(rows))
    if answer == "talk" and buddy:
        rows = [
            [press(s.p("checkins.talk_yes", name=buddy), "cic", round_id, "talk")],
            [press(s.p("checkins.no_thanks"), "cic", round_id, "no")],
        ]
        return outgoing(s.t("checkins.answered.talk", name=buddy), keyboard(rows))
    if answer == "talk":
        return outgoing(s.t("checkins.answered.talk_nobody"))
    return outgoing(s.t("checkins.answered.good"))


def alarm(s: Say, info: RoundInfo, step: int) -> OutgoingMessage:
    """To a buddy: "Anna heeft vanochtend niet gereageerd…", "Ik ga kijken" / "Ik kan nu niet"."""
    sent = info.round.sent_at or info.round.due_at
    rows = [
        [press(s.p("checkins.alarm.going"), "cig", info.round.id, step)],
        [press(s.p("checkins.alarm.cannot"), "cin", info.round.id, step)],
    ]
    key = "checkins.alarm.text_called" if info.checkin.caller_id else "checkins.alarm.text"
    return outgoing(s.t(key, name=info.resident_name, time=s.clock(sent)), keyboard(rows))


def outcome_rows(s: Say, action: str, round_id: int) -> list[list[Button]]:
    """ "Alles goed", "Hulp nodig", "Niet bereikt"."""
    return [
        [press(s.p(f"checkins.outcome.{o.value}"), action, round_id, o.value)]
        for o in CLOSING_OUTCOMES
    ]


def where(s: Say, view: AlarmView) -> str:
    """Who and where, for the person who goes to look (never for a group)."""
    lines = [s.t("checkins.where.name", name=view.resident_name, street=view.street_name)]
    if view.house_number:
        lines.append(s.t("checkins.where.house", number=view.house_number))
    if view.phone:
        lines.append(s.t("checkins.where.phone", phone=view.phone))
    return "\n".join(lines)


def going(s: Say, view: AlarmView) -> OutgoingMessage:
    """After "Ik ga kijken": where, and the outcome buttons."""
    text = "\n\n".join([s.t("checkins.going", name=view.resident_name), where(s, view)])
    return outgoing(text, keyboard(outcome_rows(s, "cio", view.round.id)))


def closed(s: Say, outcome: Outcome) -> OutgoingMessage:
    """Thanks, after an outcome."""
    return outgoing(s.t(f"checkins.closed.{outcome.value}"))


def card(s: Say, card: CheckInCard) -> OutgoingMessage:
    """The moderators chat card: the street and the time, never a name."""
    rnd = card.round
    sent = rnd.sent_at or rnd.due_at
    title = "checkins.card.title_called" if card.called else "checkins.card.title"
    lines = [s.t(title, street=card.street_name, time=s.clock(sent))]
    rows: list[list[Button]] = []
    if rnd.status is RoundStatus.ALL_CLEAR:
        lines.append(s.t("checkins.card.all_clear"))
    elif rnd.status is RoundStatus.CLOSED and rnd.outcome is not None:
        lines.append(
            s.t(
                "checkins.card.closed",
                outcome=s.p(f"checkins.outcome.{rnd.outcome.value}"),
                name=card.taker_name or "",
            )
        )
    elif rnd.status is RoundStatus.ALARM and rnd.taken_by is not None:
        lines.append(s.t("checkins.card.taken", name=card.taker_name or ""))
        rows = outcome_rows(s, "cwo", rnd.id)
    elif rnd.status is RoundStatus.ALARM:
        lines.append(s.t("checkins.card.open"))
        rows = [[press(s.p("checkins.card.take"), "ciw", rnd.id)]]
    return outgoing("\n".join(lines), keyboard(rows))


def all_clear(s: Say, info: RoundInfo) -> OutgoingMessage:
    """ "Anna heeft toch gereageerd: alles goed."."""
    return outgoing(s.t("checkins.all_clear", name=info.resident_name))


def all_clear_workers(s: Say, info: RoundInfo) -> OutgoingMessage:
    """For the moderators chat: no name, only the street."""
    return outgoing(s.t("checkins.all_clear_workers", street=info.street_name))


def nobody(s: Say, info: RoundInfo) -> OutgoingMessage:
    """The chain ran out: say so honestly, with what one can still do."""
    return outgoing(s.t("checkins.nobody", name=info.resident_name))


def please_call(s: Say, info: RoundInfo, reason: str) -> OutgoingMessage:
    """To the buddy: the resident asked for a call or a chat."""
    key = "checkins.please_call.talk" if reason == "talk" else "checkins.please_call.not_good"
    return outgoing(s.t(key, name=info.resident_name))


def buddy_request(s: Say, buddy_id: int, name: str) -> OutgoingMessage:
    """ "Anna vraagt of jij haar buddy wilt zijn…"."""
    rows = [
        [press(s.p("checkins.buddy.yes"), "cib", buddy_id, 1)],
        [press(s.p("checkins.buddy.no"), "cib", buddy_id, 0)],
    ]
    return outgoing(s.t("checkins.buddy.request", name=name), keyboard(rows))


def buddy_answered(s: Say, name: str, accepted: bool, starts: datetime | None) -> OutgoingMessage:
    """To the resident: the buddy's answer."""
    if accepted and starts is not None:
        return outgoing(
            s.t(
                "checkins.buddy.accepted",
                name=name,
                day=s.day(starts.astimezone(s.tz).date()),
                time=s.clock(starts),
            )
        )
    if accepted:
        return outgoing(s.t("checkins.buddy.accepted_more", name=name))
    return outgoing(
        s.t("checkins.buddy.declined", name=name),
        keyboard([[press(s.p("checkins.choose_other"), "ci", "buddy")]]),
    )


def buddy_left(s: Say, name: str | None, reason: str, others: bool) -> OutgoingMessage:
    """To the resident, kindly: a buddy stopped or cannot be reached."""
    who = name or s.p("checkins.your_buddy")
    key = "checkins.buddy.left_others" if others else "checkins.buddy.left_alone"
    lead = "checkins.buddy.unreachable" if reason == "unreachable" else "checkins.buddy.stopped"
    text = "\n\n".join([s.t(lead, name=who), s.t(key)])
    return outgoing(text, keyboard([[press(s.p("checkins.choose_other"), "ci", "buddy")]]))


def resident_stopped(s: Say, name: str | None) -> OutgoingMessage:
    """To a buddy: thanks for being there (no name once the resident was erased)."""
    if name is None:
        return outgoing(s.t("checkins.resident_stopped_unnamed"))
    return outgoing(s.t("checkins.resident_stopped", name=name))


def resumed(s: Say) -> OutgoingMessage:
    """The day a pause ends."""
    return outgoing(s.t("checkins.resumed"))


def pause_choices(s: Say) -> OutgoingMessage:
    """How long to pause (at most sixty days)."""
    rows = [[press(s.p(f"checkins.pause.days_{d}"), "cip", d)] for d in PAUSE_DAYS]
    return outgoing(s.t("checkins.pause.ask"), keyboard(rows))


def stop_confirm(s: Say) -> OutgoingMessage:
    """Are you sure? (nothing is lost: you can start again)."""
    rows = [
        [press(s.p("checkins.stop.yes"), "cis", "yes")],
        [press(s.p("checkins.stop.no"), "cis", "no")],
    ]
    return outgoing(s.t("checkins.stop.ask"), keyboard(rows))


def overview_text(s: Say, overview: Overview) -> str:
    """The resident's check-in in "Mijn overzicht"."""
    checkin = overview.checkin
    names = [n for b, n in overview.accepted if n]
    waiting = [n for b, n in overview.buddies if b.status is BuddyStatus.INVITED and n]
    parts = [s.t("checkins.overview.title")]
    if checkin.state is State.PAUSED and checkin.paused_until is not None:
        parts.append(s.t("checkins.overview.paused", day=s.day(checkin.paused_until)))
    elif checkin.state is State.WAITING:
        parts.append(s.t("checkins.overview.waiting"))
    parts.append(
        s.t(
            "checkins.overview.when",
            count=checkin.schedule.window_hours,
            when=when(s, checkin.schedule),
        )
    )
    if names:
        parts.append(s.t("checkins.overview.buddies", names=", ".join(names)))
    if waiting:
        parts.append(s.t("checkins.overview.asked", names=", ".join(waiting)))
    if checkin.workers:
        parts.append(s.t("checkins.overview.workers"))
    return "\n".join(parts)


def overview_rows(s: Say, overview: Overview) -> list[list[Button]]:
    """Pause or resume, change, stop."""
    checkin = overview.checkin
    rows: list[list[Button]] = []
    if checkin.state is State.PAUSED:
        rows.append([press(s.p("checkins.resume_button"), "cip", "resume")])
    elif checkin.state is State.ACTIVE:
        rows.append([press(s.p("checkins.pause_button"), "cip", "ask")])
    if len(overview.accepted) < 2:
        rows.append([press(s.p("checkins.add_buddy"), "ci", "buddy")])
    rows.append([press(s.p("checkins.stop_button"), "cis", "ask")])
    return rows


def overview(s: Say, view: Overview) -> OutgoingMessage:
    """The check-in as one message."""
    return outgoing(overview_text(s, view), keyboard(overview_rows(s, view)))


# The telephone circle ------------------------------------------------------------------------


def call_list(s: Say, lines: list[CallLine], *, reminder: bool = False) -> OutgoingMessage:
    """The coordinator's list: whom to call, their numbers, "bereikt" / "niet bereikt"."""
    if not lines:
        return outgoing(s.t("checkins.calls.done"))
    title = "checkins.calls.reminder" if reminder else "checkins.calls.title"
    out = [s.t(title)]
    rows: list[list[Button]] = []
    for line in lines:
        address = f"{line.street} {line.house_number}" if line.house_number else line.street
        out.append(
            s.t("checkins.calls.line", name=line.name, address=address, phone=line.phone or "-")
        )
        rows.append(
            [
                press(s.p("checkins.calls.reached", name=line.name), "cpr", line.round_id, 1),
                press(s.p("checkins.calls.not_reached"), "cpr", line.round_id, 0),
            ]
        )
    return outgoing("\n".join(out), keyboard(rows))


def circle(s: Say, proxies: list[ProxyCall]) -> OutgoingMessage:
    """Which neighbours without Telegram are called every day, with buttons to change it."""
    if not proxies:
        return outgoing(s.t("checkins.circle.empty"))
    out = [s.t("checkins.circle.title")]
    rows: list[list[Button]] = []
    for proxy in proxies:
        if proxy.minute_of_day is None:
            out.append(s.t("checkins.circle.off", name=proxy.name, street=proxy.street))
            rows.append(
                [press(s.p("checkins.circle.start", name=proxy.name), "cpx", proxy.proxy_id)]
            )
        else:
            out.append(
                s.t(
                    "checkins.circle.on",
                    name=proxy.name,
                    street=proxy.street,
                    time=clock(proxy.minute_of_day),
                )
            )
            rows.append(
                [press(s.p("checkins.circle.stop", name=proxy.name), "cps", proxy.proxy_id)]
            )
    return outgoing("\n".join(out), keyboard(rows))


def circle_time(s: Say, proxy_id: int, name: str) -> OutgoingMessage:
    """At what time to call."""
    times = [press(clock(m), "cpt", proxy_id, m) for m in TIMES]
    rows = [times[i : i + 3] for i in range(0, len(times), 3)]
    return outgoing(s.t("checkins.circle.time", name=name), keyboard(rows))
