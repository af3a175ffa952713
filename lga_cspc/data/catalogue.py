"""The LGA's standard catalogue of children's services peer challenges and diagnostics, as
its programme manager can load it into an empty catalogue and then edit it. Descriptions
are our own summaries of the published offers."""

STANDARD_OFFERS = [
    {
        "name": "Children's Services Peer Challenge",
        "description": "A review of children's services practice built on three core "
        "elements, with thematic modules agreed at scoping. Team size and length depend on "
        "the scope.",
        "min_days": 3,
        "max_days": 4,
    },
    {
        "name": "Special Educational Needs and Disability (SEND) Peer Challenge",
        "description": "Helps the council and its health partners prepare for a local area "
        "SEND inspection.",
        "min_days": 4,
        "max_days": 4,
    },
    {
        "name": "Early Years (Speech, Language and Communication) Peer Challenge",
        "description": "Supports early education's part in social mobility, with a focus on "
        "speech, language and communication.",
        "min_days": 4,
        "max_days": 4,
        "funding_note": "Fully funded by the DfE",
        "fully_funded": True,
    },
    {
        "name": "Resources and Efficiency Peer Challenge",
        "description": "Looks for ways to control costs and improve outcomes, including "
        "invest-to-save opportunities.",
        "min_days": 3,
        "max_days": 3,
        "funding_note": "Fully funded by the DfE",
        "fully_funded": True,
    },
    {
        "name": "Corporate Leadership and Capacity for Children's Services",
        "description": "Tests whether corporate capacity and governance can drive and sustain "
        "improvement in children's services.",
        "min_days": 3,
        "max_days": 3,
        "funding_note": "Fully funded by the DfE",
        "fully_funded": True,
    },
    {
        "name": "Corporate Parenting diagnostic",
        "description": "A two-day peer-led diagnostic, followed by training and support scaled "
        "to what the council needs.",
        "min_days": 2,
        "max_days": 2,
        "funding_note": "Fully subsidised",
        "fully_funded": True,
    },
    {
        "name": "Bespoke package",
        "description": "A peer challenge or diagnostic designed with the council around its "
        "own needs.",
        "min_days": 1,
        "max_days": 5,
        "is_bespoke": True,
    },
]
