"""The demo brief: Amazon's up-to-$4 billion investment in Anthropic (September 2023).

Facts come from the seed article; the prose is our own. Quotes are verbatim, each with its
speaker and source.
"""

import datetime
from decimal import Decimal

PARTIES = [
    # slug, name, kind, fields
    (
        "amazon",
        "Amazon",
        "organisation",
        {
            "description": "E-commerce and cloud computing group.",
            "website": "https://www.amazon.com",
            "aliases": ["Amazon.com"],
            "wikidata_id": "Q3884",
        },
    ),
    (
        "aws",
        "Amazon Web Services",
        "organisation",
        {
            "description": "Amazon's cloud computing business; maker of the Trainium and Inferentia AI chips.",
            "website": "https://aws.amazon.com",
            "aliases": ["AWS"],
            "parent": "amazon",
        },
    ),
    (
        "anthropic",
        "Anthropic",
        "organisation",
        {
            "description": "AI safety and research company; maker of the Claude chatbot.",
            "website": "https://www.anthropic.com",
        },
    ),
    (
        "microsoft",
        "Microsoft",
        "organisation",
        {
            "description": "Software and cloud group; OpenAI's largest backer.",
            "website": "https://www.microsoft.com",
            "wikidata_id": "Q2283",
        },
    ),
    (
        "openai",
        "OpenAI",
        "organisation",
        {
            "description": "AI research company behind ChatGPT, backed by Microsoft.",
            "website": "https://openai.com",
            "wikidata_id": "Q21708200",
        },
    ),
    (
        "google",
        "Google",
        "organisation",
        {
            "description": "Search and cloud group; maker of the Bard chatbot and an Anthropic investor.",
            "website": "https://www.google.com",
            "wikidata_id": "Q95",
        },
    ),
    (
        "meta",
        "Meta",
        "organisation",
        {
            "description": "Owner of Facebook, Instagram and WhatsApp.",
            "website": "https://about.meta.com",
            "aliases": ["Meta Platforms", "Facebook"],
            "wikidata_id": "Q380",
        },
    ),
    (
        "nvidia",
        "Nvidia",
        "organisation",
        {
            "description": "Maker of the graphics processors most AI models are trained on.",
            "website": "https://www.nvidia.com",
            "aliases": ["NVIDIA"],
            "wikidata_id": "Q182477",
        },
    ),
    ("spark-capital", "Spark Capital", "fund", {"description": "Venture capital firm; an Anthropic backer."}),
    (
        "salesforce",
        "Salesforce",
        "organisation",
        {
            "description": "Business software group; an Anthropic backer.",
            "website": "https://www.salesforce.com",
            "wikidata_id": "Q941127",
        },
    ),
    ("sound-ventures", "Sound Ventures", "fund", {"description": "Venture capital firm; an Anthropic backer."}),
    ("menlo-ventures", "Menlo Ventures", "fund", {"description": "Venture capital firm; an Anthropic backer."}),
    (
        "zoom",
        "Zoom",
        "organisation",
        {"description": "Video-conferencing company; an Anthropic backer.", "aliases": ["Zoom Video Communications"]},
    ),
    (
        "goldman-sachs",
        "Goldman Sachs",
        "organisation",
        {
            "description": "Investment bank; source of the image and data in the original report.",
            "wikidata_id": "Q193326",
        },
    ),
    (
        "andy-jassy",
        "Andy Jassy",
        "person",
        {
            "description": "Chief executive of Amazon since 2021; previously ran AWS.",
            "title": "Chief executive",
            "affiliation": "amazon",
        },
    ),
    (
        "dario-amodei",
        "Dario Amodei",
        "person",
        {
            "description": "Co-founder and chief executive of Anthropic.",
            "title": "Chief executive and co-founder",
            "affiliation": "anthropic",
        },
    ),
]

SOURCES = [
    (
        "techcrunch-2023-09-25",
        {
            "title": "Amazon to invest up to $4 billion in AI startup Anthropic",
            "publisher": "TechCrunch",
            "url": "https://techcrunch.com/2023/09/25/amazon-to-invest-up-to-4-billion-in-ai-startup-anthropic/",
            "kind": "news_article",
            "published_on": datetime.date(2023, 9, 25),
        },
    ),
    (
        "anthropic-investor-deck-2023",
        {
            "title": "Anthropic 2023 investor deck, as reported by TechCrunch",
            "publisher": "TechCrunch",
            "url": "https://techcrunch.com/2023/04/06/anthropics-5b-4-year-plan-to-take-on-openai/",
            "kind": "investor_deck",
            "published_on": datetime.date(2023, 4, 6),
        },
    ),
    (
        "amodei-techcrunch-disrupt-2023",
        {
            "title": "Dario Amodei at TechCrunch Disrupt 2023",
            "publisher": "TechCrunch",
            "kind": "interview",
            "published_on": datetime.date(2023, 9, 20),
        },
    ),
    (
        "goldman-sachs-image-data",
        {
            "title": "Image and data accompanying the TechCrunch report",
            "publisher": "Goldman Sachs",
            "kind": "image_data",
            "published_on": datetime.date(2023, 9, 25),
        },
    ),
]

QUOTES = [
    (
        "jassy-collaboration",
        {
            "speaker": "andy-jassy",
            "speaker_role": "Amazon chief executive, in a statement",
            "source": "techcrunch-2023-09-25",
            "said_on": datetime.date(2023, 9, 25),
            "text": "improve many customer experiences, short and long-term, through our deeper collaboration",
        },
    ),
    (
        "jassy-bedrock",
        {
            "speaker": "andy-jassy",
            "speaker_role": "Amazon chief executive, in a statement",
            "source": "techcrunch-2023-09-25",
            "said_on": datetime.date(2023, 9, 25),
            "text": "Customers are quite excited about Amazon Bedrock, AWS’s new managed service that enables "
            "companies to use various foundation models to build generative AI applications on top of, "
            "as well as AWS Trainium, AWS’s AI training chip, and our collaboration with Anthropic should "
            "help customers get even more value from these two capabilities.",
        },
    ),
    (
        "amodei-scaling",
        {
            "speaker": "dario-amodei",
            "speaker_role": "Anthropic chief executive and co-founder, at TechCrunch Disrupt",
            "source": "amodei-techcrunch-disrupt-2023",
            "said_on": datetime.date(2023, 9, 20),
            "text": "The last 10 years, there’s been this remarkable increase in the scale that we’ve used to train "
            "neural nets and we keep scaling them up, and they keep working better and better. That’s the "
            "basis of my feeling that what we’re going to see in the next 2, 3, 4 years… what we see today "
            "is going to pale in comparison to that.",
        },
    ),
    (
        "anthropic-statement",
        {
            "speaker": "anthropic",
            "speaker_role": "company statement",
            "source": "techcrunch-2023-09-25",
            "said_on": datetime.date(2023, 9, 25),
            "text": "Training state-of-the-art models requires extensive resources including compute power and "
            "research programs. Amazon’s investment and supply of AWS Trainium and Inferentia technology "
            "will ensure we’re equipped to continue advancing the frontier of AI safety and research. "
            "We look forward to working closely with Amazon to responsibly scale adoption of Claude and "
            "deliver safe AI cloud technologies to organizations around the world.",
        },
    ),
]

BRIEF_SLUG = "amazon-invests-up-to-4-billion-in-anthropic"

BRIEF = {
    "title": "Amazon to invest up to $4 billion in Anthropic",
    "dek": "Amazon takes a minority stake in the Claude maker for $1.25 billion now, with an option to reach "
    "$4 billion, and becomes its primary cloud provider.",
    "status": "published",
    "published_at": datetime.datetime(2023, 9, 25, 14, 0, tzinfo=datetime.UTC),
    "deal_type": "investment",
    "announced_on": datetime.date(2023, 9, 25),
    "amount_disclosure": "disclosed",
    "amount": Decimal("1250000000.00"),
    "amount_up_to": Decimal("4000000000.00"),
    "currency": "USD",
    "stake_description": "Minority stake",
    "valuation": None,
    "body": """\
[Amazon](party:amazon) has agreed to invest [up to $4 billion](source:techcrunch-2023-09-25) in the AI \
startup [Anthropic](party:anthropic), sharpening its rivalry with [Microsoft](party:microsoft), \
[Meta](party:meta), [Google](party:google) and [Nvidia](party:nvidia) in a field that many \
technologists see as the next great frontier.

## The terms

Amazon will first put in [$1.25 billion for a minority stake](source:techcrunch-2023-09-25) and holds \
an option to take its total investment to [$4 billion](source:techcrunch-2023-09-25). Neither company \
said how the deal values Anthropic.

In return, Anthropic makes [Amazon Web Services](party:aws) its primary cloud provider for \
mission-critical work, including safety research and the development of future foundation models, which \
it will build, train and deploy on AWS's Trainium and Inferentia chips. Anthropic has been an AWS \
customer since 2021. It also commits to give AWS customers long-term access to future generations of \
its models through Amazon Bedrock, with early access to features for customising and fine-tuning them.

## Why it matters

For Anthropic, Amazon is a deep-pocketed strategic backer that can supply the compute to train new \
models and help sell them to its many cloud customers. For Amazon, the deal is a way to build a bigger \
war chest in a fast-growing industry. [Andy Jassy](party:andy-jassy), Amazon's chief executive, said \
the two companies' deeper collaboration should \
[“improve many customer experiences, short and long-term”](quote:jassy-collaboration), adding that \
[“Customers are quite excited about Amazon Bedrock”](quote:jassy-bedrock).

Anthropic, for its part, said Amazon's money and chips will help it \
[“continue advancing the frontier of AI safety and research”](quote:anthropic-statement).

The startup plans a frontier model, tentatively called [Claude-Next](note:claude-next), which it \
describes as ten times more capable than today's most powerful AI, and which it expects will need \
[about a billion dollars of spending over the next 18 months](source:anthropic-investor-deck-2023). \
It has also told investors it aims to raise \
[as much as $5 billion over the next two years](source:anthropic-investor-deck-2023). \
[Dario Amodei](party:dario-amodei), its chief executive, sees no barriers ahead for the technology: \
[“what we see today is going to pale in comparison to that”](quote:amodei-scaling).

## Context

Before this deal Anthropic had raised [$2.7 billion in total](source:techcrunch-2023-09-25) from \
backers including [Google](party:google), [Spark Capital](party:spark-capital), \
[Salesforce](party:salesforce), [Sound Ventures](party:sound-ventures), \
[Menlo Ventures](party:menlo-ventures) and [Zoom](party:zoom). It was \
[valued at about $5 billion in May, when it raised $450 million](source:techcrunch-2023-09-25). \
[OpenAI](party:openai), its closest rival, has taken \
[as much as $11 billion from Microsoft](source:techcrunch-2023-09-25) over the years. The original \
report's chart used [image and data](source:goldman-sachs-image-data) from \
[Goldman Sachs](party:goldman-sachs).
""",
}

BRIEF_PARTIES = [
    ("amazon", "investor"),
    ("anthropic", "target"),
    ("aws", "partner"),
    ("andy-jassy", "mentioned"),
    ("dario-amodei", "mentioned"),
    ("microsoft", "competitor"),
    ("openai", "competitor"),
    ("google", "competitor"),
    ("meta", "competitor"),
    ("nvidia", "competitor"),
    ("spark-capital", "mentioned"),
    ("salesforce", "mentioned"),
    ("sound-ventures", "mentioned"),
    ("menlo-ventures", "mentioned"),
    ("zoom", "mentioned"),
    ("goldman-sachs", "mentioned"),
]
BRIEF_SOURCES = [
    "techcrunch-2023-09-25",
    "anthropic-investor-deck-2023",
    "amodei-techcrunch-disrupt-2023",
    "goldman-sachs-image-data",
]
BRIEF_QUOTES = ["jassy-collaboration", "jassy-bedrock", "anthropic-statement", "amodei-scaling"]
BRIEF_NOTES = [
    (
        "claude-next",
        "“Claude-Next” is the working name Anthropic gave the planned model in its 2023 investor "
        "deck. The tenfold capability figure is the company's own claim, not an independent "
        "measurement.",
    ),
]
