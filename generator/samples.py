"""Two made-up account plans, as data, and the code that writes them as filled-in workbooks.

`harbor_line()` is complete and strong: it gives no finding on the as-of date below.
`cobalt_ridge()` is half-filled the way real plans arrive: text numbers, a wrong choice, an action
without owner, an overdue action, whole sections left blank. Both are written through the blank
template, so `make samples` regenerates `samples/` from this file.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

D = dt.date
SAMPLE_AS_OF = D(2026, 11, 25)
X = "X"


def harbor_line() -> dict:
    """A Key account with a clear objective, a broad relationship map and a dated action plan."""
    return {
        "fields": {
            "account_name": "Harbor Line Logistics",
            "account_owner": "Dana Whitfield",
            "industry": "Freight and logistics",
            "region": "North America East",
            "plan_period": "FY2027",
            "plan_date": D(2026, 11, 2),
            "next_review_date": D(2027, 2, 15),
            "currency": "USD",
            "account_tier": "A",
            "top_ten": "Yes",
            "relationship_score": 4,
            "potential_score": 5,
            "customer_overview": (
                "Harbor Line runs 38 cross-dock terminals on the East Coast and moves 1.2 million pallets a "
                "month. After two acquisitions it runs three warehouse systems side by side and wants one."),
            "macro_environment": (
                "Freight volumes are flat, fuel and labour costs are up, and shippers demand live tracking. "
                "Margins depend on terminal productivity."),
            "annual_target": 2_400_000,
            "prior_year_actual": 1_900_000,
            "objective_title": "Win the terminal-system consolidation (phase 1: 12 terminals)",
            "objective_description": (
                "Replace the two acquired warehouse systems with our platform in the 12 busiest terminals, "
                "with the integration services to move their data."),
            "objective_value": 600_000,
            "objective_decision_date": D(2027, 3, 31),
            "objective_sponsor": "Maria Okafor",
            "objective_why_now": (
                "The licences of both acquired systems end in September 2027; the board wants one "
                "operating model before peak season."),
            "drivers": "One operating model after the acquisitions; terminal productivity up 8%.",
            "proposition": "A single platform proven in 20 cross-dock sites, live in 90 days per terminal.",
            "expectation_management": "Phase 1 covers 12 terminals; customs integration is phase 2.",
            "decision_making": "The COO decides with the CFO in March; IT runs a two-week proof of value.",
            "delivery": "Our services team with the customer's PMO; two pilot terminals in April.",
        },
        "lists": {
            "CustomerPriorities": [
                {"Priority": "One warehouse system across all terminals", "Category": "Strategic initiative",
                 "Detail": "Three systems after two acquisitions.", "How we help":
                     "Platform consolidation with data migration.", "Validated with customer": "Yes"},
                {"Priority": "Cut cost per pallet handled", "Category": "Financial pressure",
                 "Detail": "Labour cost up 11% year on year.", "How we help":
                     "Slotting and labour planning modules.", "Validated with customer": "Yes"},
                {"Priority": "Live shipment tracking for top shippers", "Category": "Operational priority",
                 "Detail": "Three large shippers asked for it in RFPs.", "How we help":
                     "Tracking API and portal.", "Validated with customer": "No"},
            ],
            "Opportunities": [
                {"Opportunity": "Platform renewal 2027", "Offering": "WMS subscription", "Stage": "Secured",
                 "Value": 950_000, "Close date": D(2026, 12, 15), "Owner": "Dana Whitfield",
                 "Next step": "Countersigned order form"},
                {"Opportunity": "Terminal consolidation phase 1", "Offering": "WMS + services",
                 "Stage": "Forecast", "Value": 600_000, "Probability": 0.7, "Close date": D(2027, 3, 31),
                 "Owner": "Dana Whitfield", "Next step": "Proof of value in Newark"},
                {"Opportunity": "Labour planning module", "Offering": "Labour planning", "Stage": "Pipeline",
                 "Value": 350_000, "Close date": D(2027, 5, 30), "Owner": "Luis Romero",
                 "Next step": "Workshop with terminal managers"},
                {"Opportunity": "Tracking portal", "Offering": "Tracking API", "Stage": "Pipeline",
                 "Value": 250_000, "Probability": 0.5, "Close date": D(2027, 6, 30), "Owner": "Luis Romero",
                 "Next step": "Demo for shipper success team"},
                {"Opportunity": "Customs integration (phase 2)", "Offering": "Services", "Stage": "Prospect",
                 "Value": 400_000, "Close date": D(2027, 10, 31), "Owner": "Dana Whitfield",
                 "Next step": "Scope with customs lead"},
            ],
            "Stakeholders": [
                {"Name": "Maria Okafor", "Title": "Chief Operating Officer", "Department": "Operations",
                 "Role": "Decision maker", "Relationship": "Trusted advisor", "Need recognition": X,
                 "Purchase decision": X, "Purchase evaluation": X, "Personal drivers":
                     "Deliver the merger synergies she promised the board", "Our contact": "Dana Whitfield",
                 "Next action": "Quarterly business review in January", "Rising star": "No"},
                {"Name": "Tom Baxter", "Title": "Chief Financial Officer", "Department": "Finance",
                 "Role": "Budget holder", "Relationship": "Building trust", "Evaluation of alternatives": X,
                 "Purchase decision": X, "Personal drivers": "Payback inside 18 months",
                 "Our contact": "Priya Nair", "Next action": "Share the business case", "Rising star": "No"},
                {"Name": "Kenji Mori", "Title": "VP Terminal Operations", "Department": "Operations",
                 "Role": "Supporter", "Relationship": "Trusted advisor", "Need recognition": X,
                 "Information search": X, "Evaluation of alternatives": X, "Purchase evaluation": X,
                 "Personal drivers": "Fewer systems for his site managers", "Our contact": "Luis Romero",
                 "Next action": "Host the Newark proof of value", "Rising star": "Yes"},
                {"Name": "Sandra Levy", "Title": "CIO", "Department": "IT", "Role": "Influencer",
                 "Relationship": "Building trust", "Information search": X, "Evaluation of alternatives": X,
                 "Personal drivers": "Fewer vendors, one integration layer", "Our contact": "Priya Nair",
                 "Next action": "Architecture review", "Rising star": "No"},
                {"Name": "Greg Hollis", "Title": "Director of IT Applications", "Department": "IT",
                 "Role": "Detractor", "Relationship": "Poor", "Information search": X,
                 "Evaluation of alternatives": X, "Personal drivers": "Built one of the acquired systems",
                 "Our contact": "Priya Nair", "Next action": "Invite to the design authority",
                 "Rising star": "No"},
                {"Name": "Aisha Grant", "Title": "Terminal Manager, Newark", "Department": "Operations",
                 "Role": "User", "Relationship": "Building trust", "Purchase evaluation": X,
                 "Personal drivers": "Peak-season throughput", "Our contact": "Luis Romero",
                 "Next action": "Plan the pilot", "Rising star": "Yes"},
            ],
            "Competitors": [
                {"Competitor": "Stackwise WMS", "Strengths": "Incumbent in 14 terminals; low price",
                 "Weaknesses": "No cross-dock module; on-premise only", "Where present": "Acquired terminals",
                 "Our response": "Lead with cross-dock throughput results"},
                {"Competitor": "In-house build", "Strengths": "IT team knows the processes",
                 "Weaknesses": "Two years to build; key-person risk", "Where present": "IT applications",
                 "Our response": "Total cost comparison with the CFO"},
            ],
            "Whitespace": [
                {"Offering": "WMS subscription", "Business unit": "Terminals", "Status": "Owned",
                 "Estimated value": 950_000},
                {"Offering": "Yard management", "Business unit": "Terminals", "Status": "Open",
                 "Estimated value": 300_000, "Notes": "No system today; spreadsheets"},
                {"Offering": "Transport management", "Business unit": "Linehaul", "Status": "Competitor holds",
                 "Estimated value": 500_000, "Notes": "Contract ends 2028"},
                {"Offering": "Analytics", "Business unit": "Finance", "Status": "Open",
                 "Estimated value": 150_000},
            ],
            "PressureTest": [
                {"Question": "Do we know how the customer will decide, by when and by whom?", "Answer": "Yes",
                 "Evidence": "COO and CFO decide in March after the proof of value"},
                {"Question": "Is someone inside the customer guiding us?", "Answer": "Yes",
                 "Evidence": "Kenji Mori shares the steering-group agenda"},
                {"Question": "Does the customer have a clear reason to act now?", "Answer": "Yes",
                 "Evidence": "Licences of both acquired systems end in September 2027"},
                {"Question": "Do we know the risks that could derail the deal?", "Answer": "Partly",
                 "Evidence": "IT's in-house option not yet costed"},
                {"Question": "Do we have access to the economic decision maker?", "Answer": "Yes",
                 "Evidence": "Monthly meeting with the COO"},
            ],
            "Risks": [
                {"Risk": "IT pushes an in-house build", "Impact": "High", "Likelihood": "Medium",
                 "Mitigation": "Total cost of ownership study with the CFO", "Owner": "Priya Nair",
                 "Due date": D(2027, 1, 20)},
                {"Risk": "Proof of value slips past peak season", "Impact": "Medium", "Likelihood": "Low",
                 "Mitigation": "Fixed plan agreed with Newark", "Owner": "Luis Romero",
                 "Due date": D(2027, 2, 1)},
            ],
            "Actions": [
                {"Action": "Agree proof-of-value success criteria with Kenji Mori", "Purpose": "Answer a question",
                 "Owner": "Luis Romero", "Due date": D(2026, 12, 4), "Status": "In progress",
                 "Linked to": "Terminal consolidation phase 1"},
                {"Action": "Present the total cost study to Tom Baxter", "Purpose": "Remove a risk",
                 "Owner": "Priya Nair", "Due date": D(2027, 1, 20), "Status": "Not started",
                 "Linked to": "IT pushes an in-house build"},
                {"Action": "Invite Greg Hollis to the design authority", "Purpose": "Meet someone",
                 "Owner": "Priya Nair", "Due date": D(2026, 12, 10), "Status": "Not started"},
                {"Action": "Executive dinner with Maria Okafor and our COO", "Purpose": "Meet someone",
                 "Owner": "Dana Whitfield", "Due date": D(2027, 1, 14), "Status": "Not started"},
                {"Action": "Renewal order form countersigned", "Purpose": "Other", "Owner": "Dana Whitfield",
                 "Due date": D(2026, 11, 20), "Status": "Done"},
            ],
            "AccountTeam": [
                {"Role": "Account lead", "Name": "Dana Whitfield", "Commitment": "Full time"},
                {"Role": "Relationship lead", "Name": "Priya Nair", "Commitment": "2 days a week"},
                {"Role": "Technical expert", "Name": "Luis Romero", "Commitment": "Proof of value"},
                {"Role": "Executive sponsor", "Name": "Grace Liu", "Commitment": "Quarterly COO meeting"},
                {"Role": "Devil's advocate", "Name": "Omar Haddad", "Commitment": "Plan reviews"},
            ],
            "HealthSignals": [
                {"Signal": "Advice sought", "Direction": "Improving",
                 "Evidence": "COO asked us to review the terminal roadmap", "Observed on": D(2026, 10, 28)},
                {"Signal": "Invited early to buying", "Direction": "Improving",
                 "Evidence": "Asked to shape the consolidation RFP", "Observed on": D(2026, 11, 5)},
                {"Signal": "Meetings accepted", "Direction": "Steady", "Evidence": "Monthly COO meeting held",
                 "Observed on": D(2026, 11, 18)},
            ],
            "Reviews": [
                {"Date": D(2026, 8, 12), "Type": "Quarterly review", "Attendees": "Dana Whitfield, Grace Liu",
                 "What changed": "Consolidation became the objective", "Decisions": "Fund the proof of value"},
                {"Date": D(2026, 11, 2), "Type": "Quarterly review",
                 "Attendees": "Dana Whitfield, Priya Nair, Grace Liu", "What changed": "CFO engaged",
                 "Decisions": "Total cost study before January"},
            ],
        },
    }


def cobalt_ridge() -> dict:
    """A half-done plan with the mistakes reps really make; raw cell values, as typed."""
    return {
        "fields": {
            "account_name": "Cobalt Ridge Health",
            "account_owner": "Sam Ortiz",
            "industry": "Healthcare",
            "plan_period": "FY2027",
            "plan_date": "3 Jul 2026",              # text date, and more than 100 days old
            "next_review_date": D(2026, 10, 1),      # passed
            "currency": "usd",
            "relationship_score": 2,
            "potential_score": 4,
            "annual_target": "1,200,000",            # text money
            "objective_title": "Expand the patient-scheduling rollout to three hospitals",
            "objective_value": "$250k",
            "objective_sponsor": "Dr. Helen Marsh",  # not among the stakeholders
        },
        "lists": {
            "CustomerPriorities": [
                {"Priority": "Shorter waiting lists", "Category": "Operational priority"},
            ],
            "Opportunities": [
                {"Opportunity": "Scheduling renewal", "Stage": "Secured", "Value": 300_000,
                 "Close date": D(2026, 9, 30)},
                {"Opportunity": "Three-hospital rollout", "Stage": "Won", "Value": 250_000,   # wrong choice
                 "Close date": D(2027, 2, 28)},
                {"Opportunity": "Telehealth add-on", "Stage": "Pipeline", "Value": 180_000, "Probability": "150%",
                 "Close date": D(2026, 10, 15)},                                             # past close
            ],
            "Stakeholders": [
                {"Name": "Paul Greene", "Title": "CIO", "Role": "Influencer", "Relationship": "Building trust",
                 "Information search": X, "Evaluation of alternatives": "x"},
                {"Name": "Rita Vance", "Title": "Head of Procurement", "Role": "Detractor",
                 "Relationship": "Poor", "Purchase decision": "yes"},
            ],
            "PressureTest": [
                {"Question": "Do we know how the customer will decide, by when and by whom?", "Answer": "No"},
                {"Question": "Is someone inside the customer guiding us?", "Answer": "Partly"},
                {"Question": "Does the customer have a clear reason to act now?"},
                {"Question": "Do we know the risks that could derail the deal?"},
                {"Question": "Do we have access to the economic decision maker?", "Answer": "no"},
            ],
            "Risks": [
                {"Risk": "Budget frozen after the merger", "Impact": "High", "Likelihood": "Medium"},
            ],
            "Actions": [
                {"Action": "Meet the new CFO", "Purpose": "Meet someone", "Due date": D(2026, 12, 15)},  # no owner
                {"Action": "Send the rollout proposal", "Owner": "Sam Ortiz", "Due date": D(2026, 10, 30),
                 "Status": "In progress"},                                                            # overdue
            ],
        },
    }


SAMPLES = {
    "harbor-line-logistics.xlsx": harbor_line,
    "cobalt-ridge-health.xlsx": cobalt_ridge,
}


def write_samples(folder: Path) -> list[Path]:
    """Write every sample workbook into `folder` through the blank template of the built-in kit."""
    from .kit import default_kit
    from .plan.template import write_filled

    folder.mkdir(parents=True, exist_ok=True)
    kit = default_kit()
    written = []
    for name, data in SAMPLES.items():
        path = folder / name
        write_filled(data(), path, kit)
        written.append(path)
    return written
