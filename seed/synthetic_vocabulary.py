"""Word lists the synthetic generator composes names, titles and quotes from."""

from __future__ import annotations

PLAN_THEMES = (
    "National AI Strategy",
    "Data Economy Plan",
    "Digital Government Masterplan",
    "6G Network Roadmap",
    "Quantum Science Strategy",
    "Semiconductor Superpower Plan",
    "Metaverse Industry Roadmap",
    "Cyber Security Strategy",
    "Digital Inclusion Plan",
    "Regional Digital Innovation Plan",
    "Cloud First Plan",
    "Space Economy Roadmap",
)

PUBLISHERS = (
    "Ministry of Science and ICT",
    "Ministry of the Interior and Safety",
    "Ministry of Trade, Industry and Energy",
    "Presidential Committee on Digital Platform Government",
    "Ministry of Education",
)

# (name, short label used in "(AI) ..." style sub-item labels)
DOMAINS = (
    ("Artificial Intelligence", "AI"),
    ("AI Semiconductors", "AI chips"),
    ("5G and 6G Communication", "6G"),
    ("Quantum", "Quantum"),
    ("Metaverse", "Metaverse"),
    ("Cyber Security", "Security"),
    ("Data", "Data"),
    ("Cloud", "K-Cloud"),
    ("Software", "SW"),
    ("Blockchain", "Blockchain"),
    ("Digital Health", "Health"),
    ("Smart Manufacturing", "Manufacturing"),
    ("Autonomous Driving", "Mobility"),
    ("Urban Air Mobility", "UAM"),
    ("Digital Twins", "Twins"),
    ("Robotics", "Robots"),
    ("Space", "Space"),
    ("Digital Education", "Education"),
    ("Digital Finance", "Fintech"),
    ("Smart Agriculture", "Agri-tech"),
    ("Digital Inclusion", "Inclusion"),
    ("Digital Government", "Gov"),
    ("Supercomputing", "HPC"),
    ("Batteries", "Batteries"),
    ("Hydrogen", "Hydrogen"),
    ("Biotechnology", "Bio"),
    ("Content", "Content"),
    ("Platforms", "Platforms"),
    ("Digital Trade", "Trade"),
    ("Talent", "Talent"),
)

ACTIONS = (
    "Establish",
    "Expand",
    "Build",
    "Develop",
    "Promote",
    "Support",
    "Foster",
    "Launch",
    "Strengthen",
    "Pilot",
    "Secure",
    "Introduce",
    "Create",
    "Upgrade",
    "Standardise",
)

OBJECTS = (
    "a national platform",
    "testbeds",
    "core source technologies",
    "an innovation cluster",
    "a talent pipeline",
    "public-private partnerships",
    "regulatory sandboxes",
    "open data sets",
    "an international cooperation network",
    "a certification system",
    "start-up growth funds",
    "flagship projects",
    "infrastructure",
    "a support centre",
    "standards",
    "a safety framework",
    "demonstration projects",
    "research hubs",
)

AUDIENCES = (
    "for small and medium enterprises",
    "for the public sector",
    "for vulnerable groups",
    "in all regions",
    "for global markets",
    "for local governments",
    "for universities",
    "for citizens",
    "for start-ups",
    "for industry",
)

MILESTONE_ACTIONS = (
    "Announce the plan for",
    "Complete the pilot of",
    "Open",
    "Enact the rules for",
    "Evaluate",
    "Launch",
    "Select operators of",
    "Finish building",
    "Publish guidelines on",
    "Hold a forum on",
    "Sign agreements on",
    "Roll out",
)

BUDGET_PURPOSES = (
    "research and development",
    "infrastructure construction",
    "talent development",
    "demonstration projects",
    "commercialisation support",
    "international cooperation",
    "regional hubs",
    "public services",
)

TARGET_METRICS = (
    ("share of enterprises using {domain}", "%"),
    ("number of {domain} specialists trained", "persons"),
    ("{domain} market size", "trillion won"),
    ("number of {domain} start-ups", "companies"),
    ("global ranking in {domain}", "rank"),
    ("public services using {domain}", "services"),
    ("exports of {domain} products", "billion US dollars"),
)

LAW_KINDS = (
    # (kind value, title pattern, short form used in aliases)
    ("framework_act", "Framework Act on {subject}", "Framework Act"),
    ("special_act", "Special Act on {subject}", "Special Act"),
    ("act", "Act on {subject}", "Act"),
    ("bill", "Bill on {subject}", "Bill"),
    ("charter", "Charter on {subject}", "Charter"),
    ("legal_framework", "Legal Framework for {subject}", "Legal Framework"),
)

LAW_OBJECTS = (
    ("the Promotion of {domain}", "{domain} Promotion"),
    ("{domain} Industry", "{domain} Industry"),
    ("{domain} Safety", "{domain} Safety"),
    ("the Use of {domain}", "{domain} Use"),
    ("{domain} Infrastructure", "{domain} Infrastructure"),
    ("{domain} Talent", "{domain} Talent"),
    ("{domain} Trust and Ethics", "{domain} Ethics"),
    ("{domain} Data Sharing", "{domain} Data Sharing"),
    ("{domain} Standards", "{domain} Standards"),
    ("{domain} Investment", "{domain} Investment"),
    ("{domain} Consumer Protection", "{domain} Consumer Protection"),
    ("{domain} Public Procurement", "{domain} Procurement"),
)

PROVINCES = (
    "Seoul",
    "Busan",
    "Daegu",
    "Incheon",
    "Gwangju",
    "Daejeon",
    "Ulsan",
    "Sejong",
    "Gyeonggi",
    "Gangwon",
    "North Chungcheong",
    "South Chungcheong",
    "North Jeolla",
    "South Jeolla",
    "North Gyeongsang",
    "South Gyeongsang",
    "Jeju",
)

SYLLABLES = (
    "Han",
    "Seo",
    "Dong",
    "Nam",
    "Buk",
    "Gang",
    "Song",
    "Cheon",
    "Won",
    "Ju",
    "San",
    "Pyeong",
    "Yeong",
    "An",
    "Mun",
    "Hwa",
)

ORGANISATION_KINDS = (
    # (kind value, name pattern, abbreviation pattern)
    ("ministry", "Ministry of {domain}", "MO{initials}"),
    ("public_body", "National {domain} Agency", "N{initials}A"),
    ("committee", "Presidential Committee on {domain}", "PC{initials}"),
    ("task_force", "{domain} Task Force", "{initials}TF"),
    ("university", "{domain} Graduate School", "{initials}GS"),
    ("programme", "{domain} Flagship Programme", "{initials}FP"),
    ("private", "{domain} Industry Association", "{initials}IA"),
    ("international", "International {domain} Alliance", "I{initials}A"),
)

ROMAN = (
    "I",
    "II",
    "III",
    "IV",
    "V",
    "VI",
    "VII",
    "VIII",
    "IX",
    "X",
    "XI",
    "XII",
    "XIII",
    "XIV",
    "XV",
    "XVI",
    "XVII",
    "XVIII",
    "XIX",
    "XX",
)
