"""The onboarding report's numbers, from what the hub and the learners' homes say (pure: no I/O).

Inputs are plain records: users and servers as JupyterHub's REST API describes them, completion
stamps and started exercises found in homes, and the hub file (costs, culler limits, modules).
:func:`build_report` turns them into :class:`OnboardingReport`, the one object the HTML, CSV and
JSON writers render, so the three outputs always hold the same numbers.

Privacy: by default no name leaves this module. Any count of people between 1 and
``min_group_size - 1`` is withheld (``None``, shown as "fewer than N"); in a breakdown (profiles,
choices, servers running now) such small groups are merged into one "Other" row, which is itself
withheld when it is still too small. With ``names=True`` every number is exact and people are named.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from training.model.completion import Stamp
from training.model.hub_profile import Cost, HubProfile, Profile

OTHER = "Other (small groups merged)"
OWN_VALUE = "own value (typed in)"
WEEKS_SHOWN = 8


# --- inputs --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ServerRecord:
    """One server as the REST API describes it (``include_stopped_servers`` adds stopped ones)."""

    user: str
    name: str
    active: bool  # running or starting (``ready`` or ``pending``)
    started: datetime | None
    last_activity: datetime | None
    user_options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class UserRecord:
    name: str
    created: datetime | None
    last_activity: datetime | None
    servers: tuple[ServerRecord, ...] = ()


@dataclass(frozen=True)
class HomeRecord:
    """What one home folder tells: the stamps in it and the modules whose exercises were run there."""

    folder: str  # the home folder's name (matched to a user name)
    stamps: tuple[Stamp, ...] = ()
    started_modules: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ModuleRef:
    id: str
    title: str


# --- outputs -------------------------------------------------------------------------------------


@dataclass
class Count:
    """A number of people, or None when it is withheld (a group smaller than the threshold)."""

    label: str
    value: int | None
    names: list[str] | None = None  # only with names=True


@dataclass
class ServerGroup:
    """Servers running now with the same profile and choices."""

    label: str
    servers: int | None
    cost_per_hour: float | None  # per server; None when the hub file gives no cost
    currency: str | None
    names: list[str] | None = None


@dataclass
class RiskyServer:
    """A server the culler should already have stopped (idle too long, or older than the maximum age)."""

    reason: str  # "idle" or "too old"
    label: str
    over_hours: float  # hours beyond the limit
    cost_per_hour: float | None
    currency: str | None
    user: str | None = None  # only with names=True

    @property
    def cost_over(self) -> float | None:
        return None if self.cost_per_hour is None else round(self.over_hours * self.cost_per_hour, 2)


@dataclass
class ModuleProgress:
    module: str
    title: str
    started: int | None
    completed: int | None
    started_not_finished: int | None


@dataclass
class OnboardingReport:
    hub_id: str
    hub_name: str
    generated_at: datetime
    min_group_size: int
    names_shown: bool
    homes_read: bool
    users: int
    funnel: list[Count]
    weekly_active: list[Count]  # label: the Monday of the week, YYYY-MM-DD
    profiles: list[Count]
    choices: list[Count]  # label: "<profile> / <option>: <choice>"
    running: list[ServerGroup]
    running_total: int
    running_cost_per_hour: float | None  # sum over running servers with a known cost
    currency: str | None
    unpriced_running: int  # running servers whose profile and choices have no cost
    at_risk: list[RiskyServer]
    at_risk_withheld: bool
    idle_limit_minutes: int
    max_age_days: float | None
    modules: list[ModuleProgress]
    unmatched_homes: int  # home folders with stamps that match no user name

    @property
    def at_risk_cost(self) -> float | None:
        known = [r.cost_over for r in self.at_risk if r.cost_over is not None]
        return round(sum(known), 2) if known else None


# --- profiles, choices and costs -----------------------------------------------------------------


def _default_profile(hub: HubProfile) -> Profile | None:
    return next((p for p in hub.profile_list if p.default), hub.profile_list[0] if hub.profile_list else None)


@dataclass(frozen=True)
class Picked:
    """What a server was started with, in the hub's own labels, and what it costs."""

    profile: str | None
    choices: tuple[tuple[str, str], ...]  # (option label, choice label)
    cost: Cost | None

    @property
    def label(self) -> str:
        if self.profile is None:
            return "(no Server Options)"
        return " · ".join([self.profile, *(f"{option}: {choice}" for option, choice in self.choices)])


def picked(hub: HubProfile, user_options: dict[str, Any]) -> Picked:
    """Resolve KubeSpawner's ``user_options`` (``profile``, ``<option>``, ``<option>--unlisted-choice``)
    against the hub's profile list; missing keys mean the defaults, as KubeSpawner applies them."""
    slug = user_options.get("profile")
    profile = next((p for p in hub.profile_list if p.effective_slug == slug), None) or _default_profile(hub)
    if profile is None:
        return Picked(None, (), None)
    chosen: list[tuple[str, str]] = []
    costs: list[Cost] = []
    for key, option in profile.profile_options.items():
        unlisted = user_options.get(f"{key}--unlisted-choice")
        choice_key = user_options.get(key)
        if unlisted and (choice_key in (None, "unlisted_choice") or choice_key not in option.choices):
            chosen.append((option.display_name, OWN_VALUE))
            continue
        if choice_key not in option.choices:
            choice_key = next((k for k, c in option.choices.items() if c.default), next(iter(option.choices), None))
        if choice_key is None:
            continue
        choice = option.choices[choice_key]
        chosen.append((option.display_name, choice.display_name))
        if choice.cost is not None:
            costs.append(choice.cost)
    cost = max(costs, key=lambda c: c.per_hour) if costs else profile.cost
    return Picked(profile.display_name, tuple(chosen), cost)


# --- the report ----------------------------------------------------------------------------------


def _week_of(moment: datetime) -> str:
    monday = moment.astimezone(UTC).date() - timedelta(days=moment.astimezone(UTC).weekday())
    return monday.isoformat()


class _Privacy:
    def __init__(self, threshold: int, names: bool):
        self.threshold = 1 if names else threshold
        self.names = names

    def count(self, label: str, people: Iterable[str]) -> Count:
        members = sorted(set(people))
        shown = len(members) if not members or len(members) >= self.threshold else None
        return Count(label, shown, members if self.names else None)

    def breakdown(self, groups: dict[str, set[str]]) -> list[Count]:
        """One row per group, most people first; groups too small are merged into one Other row."""
        rows, merged = [], set()
        for label, members in sorted(groups.items(), key=lambda item: (-len(item[1]), item[0])):
            if len(members) >= self.threshold:
                rows.append(self.count(label, members))
            else:
                merged |= members
        if merged:
            rows.append(self.count(OTHER, merged))
        return rows


def build_report(
    hub: HubProfile,
    users: list[UserRecord],
    homes: list[HomeRecord] | None,
    modules: list[ModuleRef],
    now: datetime,
    *,
    names: bool = False,
    min_group_size: int | None = None,
) -> OnboardingReport:
    """Every number of the report. ``homes`` None: no homes folder was given (module rows say so)."""
    threshold = min_group_size if min_group_size is not None else hub.report.min_group_size
    privacy = _Privacy(threshold, names)
    user_names = {u.name for u in users}

    logged_in = {u.name for u in users if u.last_activity is not None}
    started_server = {u.name for u in users for s in u.servers if s.started is not None or s.last_activity is not None}
    completed: dict[str, set[str]] = defaultdict(set)
    started_modules: dict[str, set[str]] = defaultdict(set)
    completion_times: dict[str, list[datetime]] = defaultdict(list)
    unmatched = 0
    for home in homes or []:
        if home.folder not in user_names and home.stamps:
            unmatched += 1
        for stamp in home.stamps:
            completed[stamp.module].add(home.folder)
            completion_times[home.folder].append(stamp.completed_at)
        for module in home.started_modules:
            started_modules[module].add(home.folder)

    funnel = [
        privacy.count("Have an account on the hub", user_names),
        privacy.count("Logged in", logged_in),
        privacy.count("Started a server", started_server),
    ]
    if homes is not None:
        funnel += [privacy.count(f"Completed “{m.title}”", completed.get(m.id, set())) for m in modules]

    # Weekly active users: every moment the hub or a stamp still records (last activity, server
    # starts and activity, completions); a person counts once per week.
    weeks: dict[str, set[str]] = defaultdict(set)
    for user in users:
        moments = [user.last_activity, *(s.started for s in user.servers), *(s.last_activity for s in user.servers)]
        for moment in moments:
            if moment is not None:
                weeks[_week_of(moment)].add(user.name)
    for person, moments in completion_times.items():
        for moment in moments:
            weeks[_week_of(moment)].add(person)
    this_week = datetime.fromisoformat(_week_of(now)).date()
    shown_weeks = [(this_week - timedelta(weeks=back)).isoformat() for back in range(WEEKS_SHOWN - 1, -1, -1)]
    weekly = [privacy.count(week, weeks.get(week, set())) for week in shown_weeks]

    # What people pick: the options each server was last started with (running or stopped).
    by_profile: dict[str, set[str]] = defaultdict(set)
    by_choice: dict[str, set[str]] = defaultdict(set)
    running_groups: dict[str, list[tuple[str, Picked]]] = defaultdict(list)
    at_risk: list[tuple[RiskyServer, str]] = []
    idle_limit = timedelta(minutes=hub.server.idle_timeout_minutes)
    max_age = timedelta(days=hub.server.max_age_days) if hub.server.max_age_days else None
    for user in users:
        for server in user.servers:
            if server.started is None and server.last_activity is None and not server.active:
                continue
            choice = picked(hub, server.user_options)
            if choice.profile is not None:
                by_profile[choice.profile].add(user.name)
                for option, value in choice.choices:
                    by_choice[f"{choice.profile} / {option}: {value}"].add(user.name)
            if not server.active:
                continue
            running_groups[choice.label].append((user.name, choice))
            cost = choice.cost
            per_hour = float(cost.per_hour) if cost else None
            currency = cost.currency if cost else None
            if server.last_activity is not None and now - server.last_activity > idle_limit:
                over = (now - server.last_activity - idle_limit).total_seconds() / 3600
                at_risk.append((RiskyServer("idle", choice.label, round(over, 2), per_hour, currency), user.name))
            if max_age is not None and server.started is not None and now - server.started > max_age:
                over = (now - server.started - max_age).total_seconds() / 3600
                at_risk.append((RiskyServer("too old", choice.label, round(over, 2), per_hour, currency), user.name))

    running, total_cost, currencies, unpriced, merged = [], 0.0, set(), 0, []
    for label, members in sorted(running_groups.items(), key=lambda item: (-len(item[1]), item[0])):
        cost = members[0][1].cost
        if cost is not None:
            total_cost += float(cost.per_hour) * len(members)
            currencies.add(cost.currency)
        else:
            unpriced += len(members)
        if len(members) >= privacy.threshold:
            running.append(
                ServerGroup(
                    label,
                    len(members),
                    float(cost.per_hour) if cost else None,
                    cost.currency if cost else None,
                    sorted(name for name, _ in members) if names else None,
                )
            )
        else:
            merged += members
    if merged:
        shown = len(merged) if len(merged) >= privacy.threshold else None
        running.append(ServerGroup(OTHER, shown, None, None))
    running_total = sum(len(m) for m in running_groups.values())
    currency = next(iter(currencies)) if len(currencies) == 1 else None

    risky = [server for server, _ in at_risk]
    withheld = 0 < len({name for _, name in at_risk}) < privacy.threshold
    if names:
        for server, name in at_risk:
            server.user = name
    elif withheld:
        risky = []

    progress = []
    for module in modules:
        done = completed.get(module.id, set())
        began = started_modules.get(module.id, set()) | done
        progress.append(
            ModuleProgress(
                module.id,
                module.title,
                privacy.count("", began).value if homes is not None else None,
                privacy.count("", done).value if homes is not None else None,
                privacy.count("", began - done).value if homes is not None else None,
            )
        )

    return OnboardingReport(
        hub_id=hub.id,
        hub_name=hub.name,
        generated_at=now,
        min_group_size=privacy.threshold,
        names_shown=names,
        homes_read=homes is not None,
        users=len(user_names),
        funnel=funnel,
        weekly_active=weekly,
        profiles=privacy.breakdown(by_profile),
        choices=privacy.breakdown(by_choice),
        running=running,
        running_total=running_total,
        running_cost_per_hour=round(total_cost, 4) if currency else None,
        currency=currency,
        unpriced_running=unpriced,
        at_risk=risky,
        at_risk_withheld=withheld,
        idle_limit_minutes=hub.server.idle_timeout_minutes,
        max_age_days=hub.server.max_age_days,
        modules=progress,
        unmatched_homes=unmatched,
    )


def report_data(report: OnboardingReport) -> dict[str, Any]:
    """The report as plain JSON data (what the JSON file holds and the CSV rows come from)."""
    return {
        "hub": {"id": report.hub_id, "name": report.hub_name},
        "generated_at": report.generated_at.isoformat(timespec="seconds"),
        "privacy": {
            "min_group_size": report.min_group_size,
            "names_shown": report.names_shown,
            "note": f"a null number of people means fewer than {report.min_group_size} (withheld)",
        },
        "homes_read": report.homes_read,
        "users": report.users,
        "funnel": [_count(c) for c in report.funnel],
        "weekly_active": [_count(c) for c in report.weekly_active],
        "profiles": [_count(c) for c in report.profiles],
        "choices": [_count(c) for c in report.choices],
        "running": {
            "total": report.running_total,
            "cost_per_hour": report.running_cost_per_hour,
            "currency": report.currency,
            "unpriced": report.unpriced_running,
            "groups": [
                {
                    "label": g.label,
                    "servers": g.servers,
                    "cost_per_hour": g.cost_per_hour,
                    "currency": g.currency,
                    **({"users": g.names} if g.names is not None else {}),
                }
                for g in report.running
            ],
        },
        "at_risk": {
            "idle_limit_minutes": report.idle_limit_minutes,
            "max_age_days": report.max_age_days,
            "withheld": report.at_risk_withheld,
            "cost_over_limits": report.at_risk_cost,
            "servers": [
                {
                    "reason": r.reason,
                    "label": r.label,
                    "over_hours": r.over_hours,
                    "cost_per_hour": r.cost_per_hour,
                    "cost_over_limit": r.cost_over,
                    "currency": r.currency,
                    **({"user": r.user} if r.user is not None else {}),
                }
                for r in report.at_risk
            ],
        },
        "modules": [
            {
                "module": m.module,
                "title": m.title,
                "started": m.started,
                "completed": m.completed,
                "started_not_finished": m.started_not_finished,
            }
            for m in report.modules
        ],
        "unmatched_homes": report.unmatched_homes,
    }


def _count(count: Count) -> dict[str, Any]:
    data: dict[str, Any] = {"label": count.label, "people": count.value}
    if count.names is not None:
        data["users"] = count.names
    return data
