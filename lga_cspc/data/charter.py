"""The texts a peer accepts before joining a team: the peer charter and, when the host council
asks for one, a confidentiality agreement. Each has a version; an acceptance records the
version it was given for, so changing a text means raising its version here."""

CHARTER_VERSION = "2026.1"
CHARTER_TITLE = "Peer charter"
CHARTER_PARAGRAPHS = (
    "I take part as a critical friend. The peer challenge is not an inspection: I help the "
    "council see its strengths and what it could do better, and I make no judgement.",
    "I prepare: I read the advance documents and the position statement before the on-site "
    "days, and I keep to the timetable the council and the peer challenge manager agree.",
    "I listen with respect to everyone I meet, from front-line staff and partners to "
    "children, young people and families, and I test what I hear against the evidence.",
    "I work as one team under the team leader: I share what I find in team time, I raise "
    "concerns early, and I follow the “no surprises” principle with the sponsor.",
    "I declare any conflict of interest with the council as soon as I know of it, and I step "
    "back from the challenge if the programme manager asks me to.",
    "I keep what I learn to the peer challenge. I share nothing about the council, its staff "
    "or the people it works with outside the team, during or after the challenge.",
    "I handle personal data only as the peer team briefing allows: I take no case records "
    "away, keep notes on approved devices, and destroy them when the report is final.",
)

CONFIDENTIALITY_VERSION = "2026.1"
CONFIDENTIALITY_TITLE = "Confidentiality agreement"
CONFIDENTIALITY_PARAGRAPHS = (
    "The council gives the peer team access to sensitive information, including records "
    "about individual children and families, only so that the team can carry out the peer "
    "challenge.",
    "I will use that information for the peer challenge alone, and I will not copy, "
    "photograph, forward or discuss it with anyone outside the peer team and the council's "
    "named contacts.",
    "I will not record the names, addresses or dates of birth of children or family members "
    "in my notes; I will refer to cases by their reference only.",
    "I will tell the peer challenge manager and the council's organiser at once if I think "
    "information has been lost or seen by someone who should not have seen it.",
    "These duties continue after the peer challenge ends.",
)
