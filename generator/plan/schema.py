"""The plan contract as data: every section, single field, list, column and choice, in order.

This is the one machine-readable copy of `shared/plan-model.md`. The template writer, the reader,
the validator, the figures and the renderers all walk these tables; adding a field is one line here.
Names (defined names, table names, headers, choice spellings) are the contract: never rename them.
"""
from __future__ import annotations

from dataclasses import field
from functools import cached_property

from ..records import record

TEMPLATE_VERSION = "1.0"
TEMPLATE_VERSION_NAME = "template_version"
# The cells a kit's template records its kit in (the built-in template records none: no kit name is the
# built-in kit). Names of the template itself, never a field's.
KIT_NAME_NAME = "kit_name"
KIT_VERSION_NAME = "kit_version"
RESERVED_NAMES = (TEMPLATE_VERSION_NAME, KIT_NAME_NAME, KIT_VERSION_NAME)

# Kinds of value. Each kind has one parser in `coerce.py` and one number format in the template.
TEXT = "text"          # a short line of text
LONG_TEXT = "long_text"  # a paragraph
MONEY = "money"        # a number >= 0 in the plan's currency
DATE = "date"
PERCENT = "percent"    # stored as a fraction 0..1
SCORE = "score"        # a whole number 1..5
CHOICE = "choice"      # one of `choices`
MARK = "mark"          # a buying-stage mark: involved or not
CURRENCY = "currency"  # an ISO 4217 code

YES_NO = ("Yes", "No")
LEVELS = ("High", "Medium", "Low")
STAGES = ("Secured", "Forecast", "Pipeline", "Prospect")
OPEN_STAGES = ("Forecast", "Pipeline", "Prospect")
STAGE_DEFAULT_PROBABILITY = {"Secured": 1.0, "Forecast": 0.8, "Pipeline": 0.4, "Prospect": 0.1}
ROLES = ("Decision maker", "Budget holder", "Influencer", "User", "Supporter", "Detractor",
         "Gatekeeper", "Neutral")
RELATIONSHIPS = ("Trusted advisor", "Building trust", "Poor", "Unknown")
BUYING_STAGES = ("Need recognition", "Information search", "Evaluation of alternatives",
                 "Purchase decision", "Purchase evaluation")
ACTION_STATUSES = ("Not started", "In progress", "Done", "Blocked")
ANSWERS = ("Yes", "Partly", "No", "Unknown")
WHITESPACE_STATUSES = ("Owned", "In pipeline", "Open", "Competitor holds", "Not a fit")
POSITIONS = ("Key", "Target", "Managed", "Maintained")
CURRENCIES = ("USD", "EUR", "GBP", "JPY", "CHF", "CAD", "AUD", "NZD", "SEK", "NOK", "DKK", "PLN",
              "CZK", "HUF", "INR", "CNY", "HKD", "SGD", "KRW", "BRL", "MXN", "ZAR", "AED", "SAR",
              "ILS", "TRY")
DEFAULT_CURRENCY = "USD"
# Words reps type instead of a choice: used to suggest the right one, never accepted silently.
CHOICE_SYNONYMS = {
    "won": "Secured", "closed won": "Secured", "booked": "Secured", "signed": "Secured", "commit": "Forecast",
    "committed": "Forecast", "best case": "Pipeline", "upside": "Pipeline", "qualified": "Pipeline",
    "lead": "Prospect", "idea": "Prospect", "champion": "Supporter", "coach": "Supporter", "sponsor": "Supporter",
    "blocker": "Detractor", "economic buyer": "Decision maker", "approver": "Decision maker",
    "complete": "Done", "completed": "Done", "finished": "Done", "open": "Not started", "todo": "Not started",
    "ongoing": "In progress", "started": "In progress", "stuck": "Blocked", "on hold": "Blocked",
    "strong": "Trusted advisor", "good": "Building trust", "weak": "Poor", "none": "Unknown",
    "med": "Medium", "mid": "Medium", "y": "Yes", "n": "No",
}
MARK_WORDS = ("x", "y", "yes", "✓", "✔", "true", "1")


@record
class Field:
    """A single field: a workbook-scoped defined name pointing at one input cell."""

    name: str
    label: str
    kind: str = TEXT
    required: bool = False
    choices: tuple[str, ...] = ()
    help: str = ""


@record
class Column:
    """One column of a list; `attr` is the attribute name on the row dataclass."""

    header: str
    attr: str
    kind: str = TEXT
    required: bool = False
    choices: tuple[str, ...] = ()
    width: int = 18
    default: object = None


@record
class ListSpec:
    """A list: an Excel table found by name; `row_type` names the model's row dataclass."""

    table: str
    row_type: str
    attr: str
    columns: tuple[Column, ...]
    prefill: tuple[tuple[str, ...], ...] = ()  # rows the blank template carries (first column)
    blank_rows: int = 5

    def column(self, attr: str) -> Column:
        return next(c for c in self.columns if c.attr == attr)

    @property
    def required_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.required)


@record
class Section:
    """A part of the plan: its sheet, what it is for, its single fields and its lists."""

    name: str
    sheet: str
    purpose: str
    fields: tuple[Field, ...] = ()
    lists: tuple[ListSpec, ...] = field(default_factory=tuple)

    @property
    def items_fields(self) -> tuple[Field, ...]:
        """The single fields that count towards completeness (the R ones, else all)."""
        required = tuple(f for f in self.fields if f.required)
        return required or self.fields


def _marks() -> tuple[Column, ...]:
    return tuple(Column(stage, _attr(stage), MARK, width=13) for stage in BUYING_STAGES)


def _attr(header: str) -> str:
    return header.lower().replace(" ", "_").replace("'", "")


SECTIONS: tuple[Section, ...] = (
    Section("Account", "Account", "Who the customer is, who owns the plan, and how we rate the account.", fields=(
        Field("account_name", "Account name", required=True),
        Field("account_owner", "Account owner", required=True),
        Field("industry", "Industry"),
        Field("region", "Region"),
        Field("plan_period", "Plan period", required=True, help="e.g. FY2027"),
        Field("plan_date", "Plan date", DATE, required=True),
        Field("next_review_date", "Next review date", DATE),
        Field("currency", "Currency", CURRENCY, choices=CURRENCIES, help="ISO 4217 code; blank means USD"),
        Field("account_tier", "Account tier", CHOICE, choices=("A", "B", "C")),
        Field("top_ten", "Top-ten account", CHOICE, choices=YES_NO),
        Field("relationship_score", "Relationship score (1-5)", SCORE, required=True,
              help="How strong our relationships are: 1 none, 5 trusted at every level"),
        Field("potential_score", "Potential score (1-5)", SCORE, required=True,
              help="How much more this customer could buy from us: 1 little, 5 a great deal"),
        Field("customer_overview", "Customer overview", LONG_TEXT),
        Field("macro_environment", "Macro environment", LONG_TEXT),
    )),
    Section("Customer agenda", "Customer agenda", "What the customer is trying to achieve, in their words.", lists=(
        ListSpec("CustomerPriorities", "CustomerPriority", "priorities", (
            Column("Priority", "priority", required=True, width=34),
            Column("Category", "category", CHOICE,
                   choices=("Operational priority", "Financial pressure", "Strategic initiative"), width=22),
            Column("Detail", "detail", LONG_TEXT, width=40),
            Column("How we help", "how_we_help", LONG_TEXT, width=40),
            Column("Validated with customer", "validated", CHOICE, choices=YES_NO, width=14),
        )),
    )),
    Section("Path to the number", "Path to number", "How we reach the revenue target: what is secured, "
            "forecast, in pipeline and prospect, and the gap left.", fields=(
        Field("annual_target", "Annual target", MONEY, required=True),
        Field("prior_year_actual", "Prior year actual", MONEY),
    ), lists=(
        ListSpec("Opportunities", "Opportunity", "opportunities", (
            Column("Opportunity", "opportunity", required=True, width=32),
            Column("Offering", "offering", width=20),
            Column("Stage", "stage", CHOICE, required=True, choices=STAGES, width=12),
            Column("Value", "value", MONEY, required=True, width=14),
            Column("Probability", "probability", PERCENT, width=12),
            Column("Close date", "close_date", DATE, width=13),
            Column("Owner", "owner", width=18),
            Column("Next step", "next_step", LONG_TEXT, width=36),
        ), blank_rows=8),
    )),
    Section("Objective", "Objective", "The one concrete sales objective this plan exists to win.", fields=(
        Field("objective_title", "Objective", required=True),
        Field("objective_description", "Description", LONG_TEXT),
        Field("objective_value", "Value", MONEY),
        Field("objective_decision_date", "Decision date", DATE),
        Field("objective_sponsor", "Sponsor", help="A stakeholder's name, as on the Relationships sheet"),
        Field("objective_why_now", "Why now", LONG_TEXT),
    )),
    Section("Relationships", "Relationships", "Who matters in the buying decision, how well we know them, "
            "and which buying stages they take part in.", lists=(
        ListSpec("Stakeholders", "Stakeholder", "stakeholders", (
            Column("Name", "name", required=True, width=22),
            Column("Title", "title", width=22),
            Column("Department", "department", width=16),
            Column("Role", "role", CHOICE, required=True, choices=ROLES, width=16),
            Column("Relationship", "relationship", CHOICE, required=True, choices=RELATIONSHIPS, width=16),
            *_marks(),
            Column("Personal drivers", "personal_drivers", LONG_TEXT, width=28),
            Column("Our contact", "our_contact", width=16),
            Column("Next action", "next_action", LONG_TEXT, width=28),
            Column("Rising star", "rising_star", CHOICE, choices=YES_NO, width=11),
        ), blank_rows=8),
    )),
    Section("Five components", "Five components", "The five components of a winning sale, one paragraph each.",
            fields=(
        Field("drivers", "Drivers", LONG_TEXT, help="What drives the customer to act"),
        Field("proposition", "Proposition", LONG_TEXT, help="What we offer and why it is better"),
        Field("expectation_management", "Expectation management", LONG_TEXT,
              help="What the customer will expect and how we shape it"),
        Field("decision_making", "Decision making", LONG_TEXT, help="How, when and by whom it is decided"),
        Field("delivery", "Delivery", LONG_TEXT, help="How we will deliver what we sell"),
    )),
    Section("Competition", "Competition", "Who else is in the account and how we answer them.", lists=(
        ListSpec("Competitors", "Competitor", "competitors", (
            Column("Competitor", "competitor", required=True, width=22),
            Column("Strengths", "strengths", LONG_TEXT, width=30),
            Column("Weaknesses", "weaknesses", LONG_TEXT, width=30),
            Column("Where present", "where_present", width=22),
            Column("Our response", "our_response", LONG_TEXT, width=34),
        )),
    )),
    Section("Whitespace", "Whitespace", "What else we could sell here, and who holds it today.", lists=(
        ListSpec("Whitespace", "WhitespaceItem", "whitespace", (
            Column("Offering", "offering", required=True, width=26),
            Column("Business unit", "business_unit", width=20),
            Column("Status", "status", CHOICE, choices=WHITESPACE_STATUSES, width=17),
            Column("Estimated value", "estimated_value", MONEY, width=16),
            Column("Notes", "notes", LONG_TEXT, width=40),
        )),
    )),
    Section("Pressure test", "Pressure test", "Hard questions to answer honestly before the review.", lists=(
        ListSpec("PressureTest", "PressureQuestion", "pressure_test", (
            Column("Question", "question", required=True, width=60),
            Column("Answer", "answer", CHOICE, choices=ANSWERS, width=12),
            Column("Evidence", "evidence", LONG_TEXT, width=50),
        ), prefill=(
            ("Do we know how the customer will decide, by when and by whom?",),
            ("Is someone inside the customer guiding us?",),
            ("Does the customer have a clear reason to act now?",),
            ("Do we know the risks that could derail the deal?",),
            ("Do we have access to the economic decision maker?",),
        ), blank_rows=3),
    )),
    Section("Risks", "Risks", "What could stop us, how likely it is, and what we do about it.", lists=(
        ListSpec("Risks", "Risk", "risks", (
            Column("Risk", "risk", required=True, width=36),
            Column("Impact", "impact", CHOICE, choices=LEVELS, width=10),
            Column("Likelihood", "likelihood", CHOICE, choices=LEVELS, width=11),
            Column("Mitigation", "mitigation", LONG_TEXT, width=36),
            Column("Owner", "owner", width=18),
            Column("Due date", "due_date", DATE, width=13),
        )),
    )),
    Section("Action plan", "Action plan", "Concrete actions, each with an owner and a date.", lists=(
        ListSpec("Actions", "Action", "actions", (
            Column("Action", "action", required=True, width=40),
            Column("Purpose", "purpose", CHOICE,
                   choices=("Meet someone", "Answer a question", "Remove a risk", "Other"), width=18),
            Column("Owner", "owner", required=True, width=18),
            Column("Due date", "due_date", DATE, required=True, width=13),
            Column("Status", "status", CHOICE, choices=ACTION_STATUSES, width=13, default="Not started"),
            Column("Linked to", "linked_to", width=24),
        ), blank_rows=8),
    )),
    Section("Account team", "Account team", "Who on our side works the account, and in which role.", lists=(
        ListSpec("AccountTeam", "TeamMember", "team", (
            Column("Role", "role", CHOICE, required=True, choices=(
                "Account lead", "Relationship lead", "Business driver", "Forward thinker", "Technical expert",
                "Project manager", "Devil's advocate", "Executive sponsor"), width=20),
            Column("Name", "name", required=True, width=22),
            Column("Commitment", "commitment", width=30),
        )),
    )),
    Section("Relationship health", "Health", "Signals that the relationship is getting stronger or weaker.", lists=(
        ListSpec("HealthSignals", "HealthSignal", "health_signals", (
            Column("Signal", "signal", CHOICE, required=True, choices=(
                "Meetings accepted", "Calls and emails returned", "Introductions offered", "Advice sought",
                "Invited early to buying", "Inside information shared", "Scope expanding",
                "Buying accelerating"), width=28),
            Column("Direction", "direction", CHOICE, choices=("Improving", "Steady", "Declining"), width=12),
            Column("Evidence", "evidence", LONG_TEXT, width=44),
            Column("Observed on", "observed_on", DATE, width=13),
        )),
    )),
    Section("Review log", "Review log", "When the plan was reviewed and what changed.", lists=(
        ListSpec("Reviews", "Review", "reviews", (
            Column("Date", "date", DATE, required=True, width=13),
            Column("Type", "type", CHOICE, choices=("Quarterly review", "Mid-year reset", "Other"), width=18),
            Column("Attendees", "attendees", width=30),
            Column("What changed", "what_changed", LONG_TEXT, width=40),
            Column("Decisions", "decisions", LONG_TEXT, width=40),
        )),
    )),
)

FIELDS: dict[str, Field] = {f.name: f for s in SECTIONS for f in s.fields}
LISTS: dict[str, ListSpec] = {spec.table: spec for s in SECTIONS for spec in s.lists}
SECTION_OF: dict[str, Section] = {
    **{f.name: s for s in SECTIONS for f in s.fields},
    **{spec.table: s for s in SECTIONS for spec in s.lists},
}
SECTION_BY_NAME: dict[str, Section] = {s.name: s for s in SECTIONS}
CONTRACT_NAMES = frozenset([*FIELDS, *LISTS, *RESERVED_NAMES])


@record
class Definition:
    """The schema as a value: sections in order, and the meaning of the choices that rules depend on.

    Figures, checks and the view ask the definition which role decides, which status is done, which level
    is high, instead of typing those words themselves; a kit extends the sections, never these meanings.
    """

    sections: tuple[Section, ...]
    stages: tuple[str, ...] = STAGES
    secured_stage: str = "Secured"
    open_stages: tuple[str, ...] = OPEN_STAGES
    stage_probability: dict[str, float] = field(default_factory=lambda: dict(STAGE_DEFAULT_PROBABILITY))
    positions: tuple[str, ...] = POSITIONS          # strong relationship and high potential first: Key, Target,
                                                    # Managed, Maintained
    buying_stages: tuple[str, ...] = BUYING_STAGES
    roles: tuple[str, ...] = ROLES                  # in the order people are listed
    decision_maker: str = "Decision maker"
    supporter: str = "Supporter"
    detractor: str = "Detractor"
    relationships: tuple[str, ...] = RELATIONSHIPS  # strongest first
    trusted_advisor: str = "Trusted advisor"
    strong_relationships: tuple[str, ...] = ("Trusted advisor", "Building trust")
    weak_relationships: tuple[str, ...] = ("Poor", "Unknown")
    unknown_relationship: str = "Unknown"
    levels: tuple[str, ...] = LEVELS                # highest first
    high: str = "High"
    done: str = "Done"
    blocked: str = "Blocked"
    default_status: str = "Not started"
    yes: str = "Yes"
    partly: str = "Partly"
    whitespace_statuses: tuple[str, ...] = WHITESPACE_STATUSES
    open_whitespace: str = "Open"

    @cached_property
    def fields(self) -> dict[str, Field]:
        return {f.name: f for s in self.sections for f in s.fields}

    @cached_property
    def lists(self) -> dict[str, ListSpec]:
        return {spec.table: spec for s in self.sections for spec in s.lists}

    @cached_property
    def names(self) -> frozenset[str]:
        """Every name a template of this definition defines: its fields, its lists and the reserved cells
        (template version, kit name and version)."""
        return frozenset([*self.fields, *self.lists, *RESERVED_NAMES])

    def section(self, name: str) -> Section:
        return next(s for s in self.sections if s.name == name)

    def section_of(self, name: str) -> Section:
        """The section holding the field or list called `name`."""
        return next(s for s in self.sections if any(f.name == name for f in s.fields)
                    or any(spec.table == name for spec in s.lists))


DEFAULT_DEFINITION = Definition(SECTIONS)
