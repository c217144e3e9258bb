"""The MyST text of a workshop's three pages: agenda, instructor guide, participant handout.

Pure functions of the workshop, its agenda and the hub, so the wording can be tested without Sphinx.
Text from the workshop or hub file is escaped (a hub named ``<script>`` stays text); module titles
are authored Markdown and may hold ``{{ hub.x }}`` placeholders, which the build replaces after us.
Parts that need other pages (instructor notes, the modules' links) are directives filled at write time.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from training.model.environments import choice_lines
from training.model.hub_profile import HubProfile
from training.model.hub_values import escape_markdown
from training.model.module_info import format_minutes
from training.model.nbgitpuller import INTERFACE_NAMES, clone_dir
from training.model.workshop import (
    AgendaEntry,
    Slot,
    Workshop,
    clock,
    default_interface,
    long_date,
    materials_link,
    schedule,
    slot_plan,
    total_minutes,
    workshop_profiles,
)

PAGES = ("index", "guide", "handout", "survey")
DASH = "\N{EN DASH}"  # between clock times, as typeset timetables write it


@dataclass(frozen=True)
class WorkshopPage:
    """Everything one page needs; ``modules_dir`` is where module pages live (``/modules/<id>/index``)."""

    workshop: Workshop
    entries: list[AgendaEntry]
    hub: HubProfile
    modules_dir: str = "modules"
    pdf: bool = False

    @property
    def slots(self) -> list[Slot[AgendaEntry]]:
        return schedule(self.workshop.starts_at, self.entries)

    @property
    def ends_at(self) -> str:
        return clock(self.slots[-1].end) if self.slots else clock(self.workshop.starts_at)

    @property
    def interface_name(self) -> str:
        return INTERFACE_NAMES[self.workshop.interface or default_interface(self.hub)]

    @property
    def link(self) -> str:
        return materials_link(self.workshop, self.hub)

    def when(self) -> str:
        """``Tuesday 3 February 2026, 09:30-12:35 EST (America/New_York)`` (with an en dash)."""
        start = self.workshop.starts_at
        return f"{long_date(start.date())}, {clock(start)}{DASH}{self.ends_at} {start:%Z} ({self.workshop.timezone})"

    def module_link(self, entry: AgendaEntry) -> str:
        if entry.module is None:
            return f"{escape_markdown(entry.title)} (not in this site)"
        return f"{{doc}}`{entry.module.title} </{self.modules_dir}/{entry.module.id}/index>`"


def md(text: str) -> str:
    return escape_markdown(text)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def agenda_table(page: WorkshopPage, *, detail: bool = False) -> list[str]:
    """The timetable as a Markdown table; ``detail`` adds the teaching/exercise split for instructors."""
    header = "| Time | Session | Length |" + (" Teaching / exercises | Skip |" if detail else "")
    lines = ["```{container} training-agenda", header, "|---|---|---|" + ("---|---|" if detail else "")]
    for slot in page.slots:
        entry = slot.entry
        if entry.kind == "module":
            what = page.module_link(entry)
        elif entry.kind == "break":
            what = f"*{md(entry.title)}*"
        else:
            what = md(entry.title)
        row = f"| {clock(slot.start)}{DASH}{clock(slot.end)} | {_cell(what)} | {format_minutes(entry.minutes)} |"
        if detail:
            plan = slot_plan(entry.module, entry.minutes) if entry.module else None
            split = f"{plan.teaching} / {plan.exercises} min" if plan else ""
            skip = _cell(", ".join(md(f.section.replace("`", "")) for f in plan.skip)) if plan else ""
            if plan and not plan.fits:
                skip += (" · " if skip else "") + f"**too short: the core needs {entry.module.core_minutes} min**"
            row += f" {split} | {skip} |"
        lines.append(row)
    return [*lines, "```"]


def total_line(page: WorkshopPage) -> str:
    modules = sum(1 for e in page.entries if e.kind == "module")
    breaks = sum(e.minutes for e in page.entries if e.kind == "break")
    total = total_minutes(page.entries)
    return (
        f"**Total: {format_minutes(total)}**, from {clock(page.workshop.starts_at)} to {page.ends_at}: "
        f"{modules} module{'s' if modules != 1 else ''} and {format_minutes(breaks) if breaks else 'no'} of breaks."
    )


def _people(names: Sequence[str]) -> str:
    escaped = [md(n) for n in names]
    return escaped[0] if len(escaped) == 1 else ", ".join(escaped[:-1]) + " and " + escaped[-1]


def header_lines(page: WorkshopPage) -> list[str]:
    workshop = page.workshop
    lines = [f"**{md(page.when())}**" + (f" · {md(workshop.location)}" if workshop.location else ""), ""]
    if workshop.instructors:
        lines += [f"Instructors: {_people(workshop.instructors)}", ""]
    return lines


# --- logging in, per provider --------------------------------------------------------------------

UI_NAMES = {**INTERFACE_NAMES, "vscode": "VS Code", "desktop": "the Linux desktop"}

BUTTON = {
    "github": "Sign in with GitHub",
    "cilogon": "Sign in with CILogon",
    "google": "Sign in with Google",
    "auth0": "Sign in with Auth0",
}


def login_steps(hub: HubProfile) -> list[str]:
    """How a participant logs in on this hub, as a numbered Markdown list."""
    provider = hub.login.provider
    url = hub.url
    steps = [f"Open [{md(url)}]({url}) in your web browser."]
    if provider == "shared-password":
        steps += [
            "Type a username you choose: your first name and the initial of your last name, lower case, "
            "no spaces (for example *adal*). Use the same one every time: it names your home folder.",
            "Type the workshop password the instructor gives you in the room, then click **Sign in**.",
        ]
    elif provider == "generic":
        steps += ["Click the sign-in button and log in with your organisation's account."]
    else:
        account = {
            "github": "your GitHub account (and its two-factor code)",
            "cilogon": "your institution's account: pick your institution in the list first",
            "google": "your Google account",
            "auth0": "the account your organisation gave you",
        }[provider]
        steps += [f"Click **{BUTTON[provider]}** and log in with {account}."]
        if provider in {"github", "google"}:
            steps += ["The first time, allow the hub to see your name: click **Authorize** (or **Allow**)."]
    if hub.profile_list:
        choices = " ".join(line.removeprefix("- ") for line in choice_lines(hub))
        steps += [f"On the **Server Options** page, select what you work with. {choices} Then click **Start**."]
    first = "lab" if "lab" in hub.interfaces else hub.interfaces[0]
    steps += [f"Wait until {UI_NAMES[first]} opens: the first start can take a few minutes."]
    return [f"{number}. {step}" for number, step in enumerate(steps, start=1)]


def access_checklist(hub: HubProfile) -> list[str]:
    """What the instructor arranges so that every participant can log in on the day."""
    access = f" Who may log in: {md(hub.login.access)}." if hub.login.access else ""
    return {
        "github": [
            "Collect every participant's **GitHub username** (not their e-mail) and ask the hub operator to add "
            f"them to the hub's allowed team or organisation.{access} Accounts made on the day often fail: new "
            "GitHub accounts must confirm their e-mail address first, and GitHub now asks for two-factor set-up.",
        ],
        "cilogon": [
            "Check with the hub operator that each participant's **institution** is allowed through CILogon, and "
            f"which identity they must pick (institution, ORCID or Google).{access}",
        ],
        "google": [
            "Collect the **Google account** (e-mail) of every participant and ask the hub operator to allow "
            f"them.{access}",
        ],
        "auth0": [f"Ask the hub operator to create or allow an account for every participant.{access}"],
        "shared-password": [
            "Ask the hub operator for the **workshop password** and how long it stays valid. Say it in the room "
            "or write it on the board: never put it in the e-mail, on the handout or in a public chat."
            f"{access}",
        ],
        "generic": [f"Ask the hub operator how participants get access, and allow time for it.{access}"],
    }[hub.login.provider]


def login_trouble(hub: HubProfile) -> list[str]:
    """What to check, in order, when a participant cannot log in."""
    provider = hub.login.provider
    url = hub.url
    specific = {
        "github": "After GitHub, the hub says *403 Forbidden* or *not allowed*: the account is not in the allowed "
        "team. Check the username (a typo, or a second GitHub account) and send it to the operator.",
        "cilogon": "CILogon shows an error or the hub says *403*: they picked another identity provider than the "
        "one the hub allows (for example Google instead of their university). Log out of CILogon and pick again.",
        "google": "The hub says *403*: they logged in with another Google account than the one you registered "
        "(a private one instead of the work one). Use a private window and pick the right account.",
        "auth0": "The hub says *403*: their account is not allowed yet; send it to the operator.",
        "shared-password": "*Invalid username or password*: check the password's capitals and spaces. Two people "
        "with the same username share one server and one home folder: give each a different username.",
        "generic": "The hub says *403*: their account is not allowed yet; send it to the operator.",
    }[provider]
    return [
        f"1. Check the address: [{md(url)}]({url}) (a typo, or an old bookmark to another hub).",
        f"2. {specific}",
        "3. Try a private (incognito) window: it rules out old cookies and browser extensions.",
        "4. The server does not start (*Spawn failed* or a long wait): wait two minutes and try again; if several "
        "people see it, the hub is short of machines: tell the hub operator now.",
        "5. Still stuck after five minutes: pair the participant with a neighbour so they keep learning, and sort "
        f"it out at the break with {md(hub.support.name)}.",
    ]


def help_lines(hub: HubProfile) -> list[str]:
    support = hub.support
    where = []
    if support.url:
        where.append(f"[{md(support.name)}]({support.url})")
    else:
        where.append(md(support.name))
    if support.email:
        where.append(f"[{md(support.email)}](mailto:{support.email})")
    return where


# --- the pages ----------------------------------------------------------------------------------


def agenda_page(page: WorkshopPage) -> str:
    workshop, hub = page.workshop, page.hub
    folder = clone_dir(hub.materials.repo)
    lines = [
        f"# {md(workshop.title)}",
        "",
        *header_lines(page),
        f"On [{md(hub.name)}]({hub.url}). Log in at the start: the {{doc}}`handout <handout>` says how.",
        "",
        "## One link for everything",
        "",
        "Open this link once you are logged in. It copies all the workshop's materials into the folder "
        f"`{folder}` in your home folder and opens it in {page.interface_name}. Opening it again later fetches "
        "updates without overwriting your changes.",
        "",
        f"[Get all the workshop materials]({page.link})",
        "",
        "## Agenda",
        "",
        *agenda_table(page),
        "",
        total_line(page),
        "",
        "## For instructors",
        "",
        "- {doc}`Instructor guide <guide>`: the checklist before the day, what to do when someone cannot log in, "
        "an e-mail to participants, and the instructor notes of every module.",
        "- {doc}`Participant handout <handout>`: one page to print or send"
        + (" (also as a PDF)." if page.pdf else "."),
        "- {doc}`End-of-workshop survey <survey>`: five questions for the last five minutes.",
        "",
        "```{toctree}",
        ":hidden:",
        "",
        "guide",
        "handout",
        "survey",
        "```",
        "",
    ]
    return "\n".join(lines)


def _profiles_lines(page: WorkshopPage) -> list[str]:
    hub = page.hub
    slugs = workshop_profiles(page.workshop, hub)
    if not hub.profile_list:
        return ["- Start a server yourself the way participants will, and run the first exercise in it."]
    lines = ["- Start a server with each profile the workshop uses, and run the first exercise in it:", ""]
    for profile in hub.profile_list:
        if profile.effective_slug in slugs:
            text = f"  - **{md(profile.display_name)}**"
            if profile.description:
                text += f": {md(profile.description)}"
            if profile.restricted_to:
                text += f" (only for {md(', '.join(profile.restricted_to))}: check participants are in it)"
            lines.append(text)
    return lines


def email_template(page: WorkshopPage) -> list[str]:
    """A plain-text e-mail to send a week ahead: what to bring, the hub URL, how to log in."""
    workshop, hub = page.workshop, page.hub
    bring = {
        "github": "your GitHub username and password, and the phone or app for GitHub's two-factor code",
        "cilogon": "the username and password of your institution's account",
        "google": "the password of the Google account you registered with",
        "auth0": "the username and password of the account we sent you",
        "shared-password": "nothing else: you get the workshop password in the room",
        "generic": "the username and password of your organisation's account",
    }[hub.login.provider]
    steps = [line.split(". ", 1)[1] for line in login_steps(hub)]
    steps = [s.replace("**", "").replace("*", "").replace(f"[{md(hub.url)}]({hub.url})", hub.url) for s in steps]
    where = f" at {workshop.location}" if workshop.location else ""
    test = (
        "Please check before the day that you can log in:"
        if hub.login.provider != "shared-password"
        else "On the day you will log in like this:"
    )
    body = [
        f"Subject: {workshop.title}, {long_date(workshop.date)}: what to bring",
        "",
        "Hello,",
        "",
        f'You are registered for "{workshop.title}" on {page.when()}{where}.',
        f"We will work on {hub.name}, a JupyterHub in the cloud: there is nothing to install.",
        "",
        "What to bring:",
        "- a laptop with an up-to-date web browser (Firefox, Chrome, Edge or Safari) and its charger;",
        f"- {bring}.",
        "",
        test,
        *[f"{number}. {step}" for number, step in enumerate(steps, start=1)],
        *(
            []
            if hub.login.provider == "shared-password"
            else ["Then stop your server: File > Hub Control Panel > Stop My Server."]
        ),
        "",
        f"If you cannot log in, reply to this e-mail before the workshop. Help with the hub: {hub.support.name}"
        + (f" ({hub.support.url or hub.support.email})" if hub.support.url or hub.support.email else "")
        + ".",
        "",
        "See you there,",
        ", ".join(workshop.instructors) if workshop.instructors else "The instructors",
    ]
    wrapped: list[str] = []
    for line in body:
        marker = re.match(r"^(- |\d+\. )", line)
        indent = " " * len(marker.group(1)) if marker else ""
        wrapped += textwrap.wrap(line, 88, subsequent_indent=indent, break_on_hyphens=False) or [""]
    # Longer than any run of backticks in the text, so no name or title can end the block early.
    fence = "`" * max(4, 1 + max((len(run) for run in re.findall(r"`+", "\n".join(wrapped))), default=0))
    return [f"{fence}text", *wrapped, fence]


def guide_page(page: WorkshopPage) -> str:
    workshop, hub = page.workshop, page.hub
    support = " or ".join(help_lines(hub))
    module_entries: list[AgendaEntry] = []
    for entry in page.entries:
        if entry.module is not None and entry.module not in [e.module for e in module_entries]:
            module_entries.append(entry)
    lines = [
        f"# Instructor guide: {md(workshop.title)}",
        "",
        *header_lines(page),
        f"For the people who teach this workshop on [{md(hub.name)}]({hub.url}). Participants get the "
        "{doc}`agenda <index>` and the {doc}`handout <handout>`.",
        "",
        "## Before the workshop",
        "",
        "### Four weeks ahead",
        "",
        f"- Tell the hub operator ({support}) the date, the time and the number of participants, and ask whether "
        "the hub can start that many servers in the same few minutes. A cloud hub adds machines when a crowd "
        "logs in, which takes minutes; the operator can add them ahead of time.",
        *[f"- {line}" for line in access_checklist(hub)],
        "",
        "### One week ahead",
        "",
        f"- Send participants the {{ref}}`e-mail below <workshop-{workshop.slug}-email>`.",
        "- Log in as a participant would, and open every materials link of the workshop yourself (each must "
        "open the right file):",
        "",
        "  ```{workshop-links}",
        "  ```",
        "",
        *_profiles_lines(page),
        "",
        "### On the day",
        "",
        "- Arrive early; log in and start your own server before anyone else does.",
        "- Have everyone log in at the start, before any teaching: the handout says how. Walk the room; the "
        "next section says what to do when someone cannot.",
        "- At the end, have everyone stop their server (File > Hub Control Panel > Stop My Server): a running "
        "server costs money even when nobody uses it.",
        "",
        "## When someone cannot log in",
        "",
        *login_trouble(hub),
        "",
        f"(workshop-{workshop.slug}-email)=",
        "## E-mail to participants",
        "",
        "Send it a week ahead; copy it with the button in its corner.",
        "",
        *email_template(page),
        "",
        "## Agenda with timings",
        "",
        *agenda_table(page, detail=True),
        "",
        total_line(page),
        "",
        "## Videos of the steps",
        "",
        "The captioned videos of the workshop's modules, with their lengths: play one on the projector, or "
        "send its page to participants ahead of the day.",
        "",
        f"```{{video-list}} {' '.join(e.module.id for e in module_entries if e.module is not None)}",
        "```",
        "",
        "## Instructor notes, module by module",
        "",
        "The notes of every module in the agenda, in its order. They also show on each module's page in the "
        "instructor view.",
        "",
    ]
    for entry in module_entries:
        assert entry.module is not None
        lines += [
            f"### {entry.module.title}",
            "",
            f"{page.module_link(entry)} · {format_minutes(entry.minutes)}",
            "",
            *_slot_lines(entry),
            f"```{{workshop-notes}} {entry.module.id}",
            "```",
            "",
        ]
    return "\n".join(lines)


def _slot_lines(entry: AgendaEntry) -> list[str]:
    """What the slot leaves out of the module, and how its minutes split."""
    assert entry.module is not None
    plan = slot_plan(entry.module, entry.minutes)
    split = f"{plan.teaching} minutes of teaching and {plan.exercises} of exercises"
    if plan.skip:
        names = ", ".join(f"*{md(f.section.replace('`', ''))}*" for f in plan.skip)
        text = (
            f"In this slot: {split}. Skip {names} (marked *Going further* on the module's page, "
            f"{format_minutes(sum(f.minutes for f in plan.skip))}): learners can read them later."
        )
    else:
        text = f"In this slot: {split}" + (", the whole module." if plan.fits else ".")
    if not plan.fits:
        text += f" The slot is too short: the module's core takes {format_minutes(entry.module.core_minutes)}."
    return [text, ""]


def handout_page(page: WorkshopPage) -> str:
    workshop, hub = page.workshop, page.hub
    lines = [
        f"# Handout: {md(workshop.title)}",
        "",
        *header_lines(page),
    ]
    if page.pdf:
        lines += ["```{workshop-handout-pdf}", "```", ""]
    lines += [
        "## Log in to the hub",
        "",
        *login_steps(hub),
        "",
        "## Get the materials",
        "",
        f"```{{qr-code}} {page.link}",
        ":label: QR code of the link that gets the workshop materials",
        ":caption: Scan it once you are logged in",
        "```",
        "",
        "Once you are logged in, open this link, or scan the code with your phone's camera. It copies the "
        f"workshop's materials into the folder `{clone_dir(hub.materials.repo)}` of your home folder: "
        f"[Get all the workshop materials]({page.link})",
        "",
        "## Agenda",
        "",
        *agenda_table(page),
        "",
        f"Total {format_minutes(total_minutes(page.entries))}.",
        "",
        "## Help",
        "",
        "- During the workshop: ask an instructor"
        + (f" ({_people(workshop.instructors)})" if workshop.instructors else "")
        + " or your neighbour.",
        f"- Afterwards: {' or '.join(help_lines(hub))}.",
        *(
            [f"- This training, to read again at your own pace: [{md(hub.site_url)}]({hub.site_url})"]
            if hub.site_url
            else []
        ),
        "- When you are done, stop your server: **File > Hub Control Panel > Stop My Server**. A running server "
        "costs money even when you do not use it.",
        "",
    ]
    return "\n".join(lines)


def feedback_where(hub: HubProfile) -> str:
    """Where answers and later comments go: the training's feedback address, else the support channel."""
    if hub.feedback is None:
        return " or ".join(help_lines(hub))
    where = [f"[{md(hub.feedback.name)}]({hub.feedback.url})" if hub.feedback.url else md(hub.feedback.name)]
    if hub.feedback.email:
        where.append(f"[{md(hub.feedback.email)}](mailto:{hub.feedback.email})")
    return " or ".join(where)


def survey_page(page: WorkshopPage) -> str:
    """A short end-of-workshop survey: print it or read it out, collect the answers, improve the training."""
    workshop, hub = page.workshop, page.hub
    modules = [e.module.title for e in page.entries if e.module is not None]
    scale = "1 (not at all) · 2 · 3 · 4 · 5 (yes, alone)"
    lines = [
        f"# Survey: {md(workshop.title)}",
        "",
        *header_lines(page),
        "Five minutes at the end of the workshop. Print this page or show it on the screen; answers are "
        "anonymous. Instructors: collect the answers and send what you learn to the people who run the "
        f"training, {feedback_where(hub)}.",
        "",
        "## Your answers",
        "",
        f"1. Could you now log in to {md(hub.name)}, start a server and stop it, without help? {scale}",
        f"2. Could you get the training materials and find your files again next time? {scale}",
        "3. Which part was the most useful to you?",
        "",
        "   " + " · ".join(f"{m}" for m in modules),
        "",
        "4. What was unclear, too fast or missing? Name the part if you can.",
        "5. What will you do on the hub next week?",
        "",
        "## Afterwards",
        "",
        f"Something else comes to mind later? Tell the people who run this training: {feedback_where(hub)}.",
        "",
    ]
    return "\n".join(lines)


def page_text(role: str, page: WorkshopPage) -> str:
    """The MyST source of one of a workshop's pages (``index`` is the agenda)."""
    return {"index": agenda_page, "guide": guide_page, "handout": handout_page, "survey": survey_page}[role](page)
