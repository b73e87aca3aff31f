"""The demo: four briefs and three deals telling the seed's story.

Microsoft's undisclosed investment in OpenAI (January 2023), Anthropic's $450 million Series C
(May 2023), and Amazon's investment in Anthropic: announced in September 2023 (the seed article),
completed in March 2024. Facts come from the seed article and the sequels' reference facts
(shared/seed); the prose is our own. Quotes are verbatim, each with its speaker and source. Every
figure names its source, and every money figure in a body sits inside a citation.
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
        "salesforce-ventures",
        "Salesforce Ventures",
        "fund",
        {"description": "Salesforce's venture capital arm; an Anthropic backer.", "parent": "salesforce"},
    ),
    (
        "zoom-ventures",
        "Zoom Ventures",
        "fund",
        {"description": "Zoom's venture capital arm; an Anthropic backer.", "parent": "zoom"},
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
    (
        "swami-sivasubramanian",
        "Swami Sivasubramanian",
        "person",
        {
            "description": "Vice president of data and AI at Amazon Web Services.",
            "title": "Vice president of data and AI",
            "affiliation": "aws",
        },
    ),
    (
        "satya-nadella",
        "Satya Nadella",
        "person",
        {
            "description": "Chairman and chief executive of Microsoft.",
            "title": "Chairman and chief executive",
            "affiliation": "microsoft",
        },
    ),
    (
        "sam-altman",
        "Sam Altman",
        "person",
        {"description": "Chief executive of OpenAI.", "title": "Chief executive", "affiliation": "openai"},
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
    (
        "datacenterdynamics-2024-03",
        {
            "title": "Amazon invests $2.75bn in AI startup Anthropic as part of planned $4bn deal",
            "publisher": "DatacenterDynamics",
            "url": "https://www.datacenterdynamics.com/en/news/"
            "amazon-invests-275bn-in-ai-startup-anthropic-as-part-of-planned-4bn-deal/",
            "kind": "news_article",
            "published_on": None,  # March 2024; the day is not known
        },
    ),
    (
        "ap-etv-bharat-2024-03-28",
        {
            "title": "Associated Press report on Amazon's investment in Anthropic, as published by ETV Bharat",
            "publisher": "ETV Bharat (Associated Press)",
            "url": "https://www.etvbharat.com/en/!technology/amazon-investment-in-ai-startup-anthropic-enn24032801343",
            "kind": "news_article",
            "published_on": datetime.date(2024, 3, 28),
        },
    ),
    (
        "anthropic-series-c-2023-05-23",
        {
            "title": "Anthropic Raises $450 Million in Series C Funding to Scale Reliable AI Products",
            "publisher": "Anthropic",
            "url": "https://www.anthropic.com/news/anthropic-series-c",
            "kind": "press_release",
            "published_on": datetime.date(2023, 5, 23),
        },
    ),
    (
        "microsoft-blog-2023-01-23",
        {
            "title": "Microsoft and OpenAI extend partnership",
            "publisher": "Official Microsoft Blog",
            "url": "https://blogs.microsoft.com/blog/2023/01/23/microsoftandopenaiextendpartnership/",
            "kind": "press_release",
            "published_on": datetime.date(2023, 1, 23),
        },
    ),
    (
        "the-national-2023-01-23",
        {
            "title": "Microsoft announces multibillion-dollar investment in ChatGPT-maker OpenAI",
            "publisher": "The National",
            "url": "https://www.thenationalnews.com/business/technology/2023/01/23/"
            "microsoft-announces-multibillion-dollar-investment-in-chatgpt-maker-openai/",
            "kind": "news_article",
            "published_on": datetime.date(2023, 1, 23),
        },
    ),
    (
        "zdnet-2023-01-23",
        {
            "title": "Microsoft just made a huge investment in ChatGPT maker OpenAI. Here's why",
            "publisher": "ZDNet",
            "url": "https://www.zdnet.com/article/"
            "microsoft-just-made-a-huge-investment-in-chatgpt-maker-openai-heres-why/",
            "kind": "news_article",
            "published_on": datetime.date(2023, 1, 23),
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
    (
        "sivasubramanian-next",
        {
            "speaker": "swami-sivasubramanian",
            "speaker_role": "AWS vice president of data and AI, in Amazon's statement",
            "source": "datacenterdynamics-2024-03",
            "said_on": datetime.date(2024, 3, 27),
            "text": "Generative AI is poised to be the most transformational technology of our time, and we "
            "believe our strategic collaboration with Anthropic will further improve our customers' "
            "experiences, and look forward to what's next.",
        },
    ),
    (
        "nadella-shared-ambition",
        {
            "speaker": "satya-nadella",
            "speaker_role": "Microsoft chairman and chief executive, in Microsoft's announcement",
            "source": "microsoft-blog-2023-01-23",
            "said_on": datetime.date(2023, 1, 23),
            "text": "We formed our partnership with OpenAI around a shared ambition to responsibly advance "
            "cutting-edge AI research and democratize AI as a new technology platform.",
        },
    ),
    (
        "altman-partnership",
        {
            "speaker": "sam-altman",
            "speaker_role": "OpenAI chief executive, in Microsoft's announcement",
            "source": "microsoft-blog-2023-01-23",
            "said_on": datetime.date(2023, 1, 23),
            "text": "The past three years of our partnership have been great. Microsoft shares our values and we "
            "are excited to continue our independent research and work toward creating advanced AI that "
            "benefits everyone.",
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
BRIEF_DEAL = ("amazon-anthropic", 0)  # (deal slug, index of the stage it reports)

# Deals ------------------------------------------------------------------------------------------
# participants: (party, role, {is_lead, amount, currency}); stages in order; figures name their
# source and, for a figure of one stage, the index of that stage.

BILLION = Decimal(10) ** 9

DEALS = [
    {
        "slug": "amazon-anthropic",
        "fields": {
            "name": "Amazon’s investment in Anthropic",
            "deal_type": "investment",
            "status": "completed",
            "announced_on": datetime.date(2023, 9, 25),
            "closed_on": datetime.date(2024, 3, 27),
            "amount_disclosure": "disclosed",
            "currency": "USD",
            "stake_description": "Minority stake",
            "summary": "Amazon invests up to $4 billion in Anthropic in two stages; AWS becomes Anthropic's "
            "primary cloud provider.",
        },
        "participants": [
            ("amazon", "investor", {"amount": Decimal("4") * BILLION, "currency": "USD"}),
            ("anthropic", "target", {}),
            ("aws", "partner", {}),
        ],
        "stages": [
            {
                "occurred_on": datetime.date(2023, 9, 25),
                "status": "announced",
                "description": "first $1.25 billion for a minority stake, with an option to invest up to $4 billion",
                "amount": Decimal("1.25") * BILLION,
                "currency": "USD",
            },
            {
                "occurred_on": datetime.date(2024, 3, 27),
                "status": "completed",
                "description": "a further $2.75 billion, taking Amazon's investment to $4 billion",
                "amount": Decimal("2.75") * BILLION,
                "currency": "USD",
            },
        ],
        "figures": [
            {"stage": 0, "kind": "amount", "amount": Decimal("1.25") * BILLION, "source": "techcrunch-2023-09-25"},
            {"stage": 0, "kind": "up_to", "amount": Decimal("4") * BILLION, "source": "techcrunch-2023-09-25"},
            {"stage": 1, "kind": "amount", "amount": Decimal("2.75") * BILLION, "source": "datacenterdynamics-2024-03"},
            {
                "stage": 1,
                "kind": "total_to_date",
                "amount": Decimal("4") * BILLION,
                "source": "datacenterdynamics-2024-03",
            },
        ],
    },
    {
        "slug": "anthropic-series-c",
        "fields": {
            "name": "Anthropic’s Series C",
            "deal_type": "funding_round",
            "series": "series_c",
            "status": "completed",
            "announced_on": datetime.date(2023, 5, 23),
            "closed_on": datetime.date(2023, 5, 23),
            "amount_disclosure": "disclosed",
            "currency": "USD",
            "summary": "Anthropic raises $450 million in a round led by Spark Capital.",
        },
        "participants": [
            ("spark-capital", "investor", {"is_lead": True}),
            ("google", "investor", {}),
            ("salesforce-ventures", "investor", {}),
            ("sound-ventures", "investor", {}),
            ("zoom-ventures", "investor", {}),
            ("anthropic", "target", {}),
        ],
        "stages": [
            {
                "occurred_on": datetime.date(2023, 5, 23),
                "status": "completed",
                "description": "$450 million Series C led by Spark Capital",
                "amount": Decimal("450000000"),
                "currency": "USD",
            },
        ],
        "figures": [
            {"stage": 0, "kind": "amount", "amount": Decimal("450000000"), "source": "anthropic-series-c-2023-05-23"},
            # The valuation is TechCrunch's report, not the company's.
            {
                "kind": "valuation_post",
                "basis": "reported",
                "amount": Decimal("5") * BILLION,
                "source": "techcrunch-2023-09-25",
            },
        ],
    },
    {
        "slug": "microsoft-openai-2023",
        "fields": {
            "name": "Microsoft’s multiyear investment in OpenAI",
            "deal_type": "investment",
            "status": "announced",
            "announced_on": datetime.date(2023, 1, 23),
            "amount_disclosure": "undisclosed",
            "currency": "USD",
            "summary": "The third phase of Microsoft's partnership with OpenAI: a multiyear, multibillion-dollar "
            "investment whose amount neither company disclosed.",
        },
        "participants": [("microsoft", "investor", {}), ("openai", "target", {})],
        "stages": [
            {
                "occurred_on": datetime.date(2023, 1, 23),
                "status": "announced",
                "description": "third phase of the partnership: a multiyear, multibillion-dollar investment",
            },
        ],
        # Officially undisclosed: what others reported, each naming who reported it. Microsoft's
        # investments over the years ("as much as $11 billion") are the partnership's three phases
        # together, not this deal's size, so the brief gives them as context in a note.
        "figures": [
            {
                "kind": "amount",
                "basis": "reported",
                "amount": Decimal("10") * BILLION,
                "source": "the-national-2023-01-23",
                "reported_by": "Semafor",
            },
            {
                "kind": "amount",
                "basis": "reported",
                "amount": Decimal("10") * BILLION,
                "source": "zdnet-2023-01-23",
                "reported_by": "Bloomberg",
            },
        ],
    },
]

# The other briefs -----------------------------------------------------------------------------

COMPLETION_BRIEF = {
    "slug": "amazon-completes-4-billion-anthropic-investment",
    "fields": {
        "title": "Amazon completes its $4 billion investment in Anthropic",
        "dek": "A further $2.75 billion, the second stage of the September agreement, takes Amazon's "
        "investment in the Claude maker to $4 billion; it keeps a minority stake.",
        "status": "published",
        "published_at": datetime.datetime(2024, 3, 27, 14, 0, tzinfo=datetime.UTC),
        "body": """\
[Amazon](party:amazon) has invested [a further $2.75 billion](source:datacenterdynamics-2024-03) in \
[Anthropic](party:anthropic), the second stage of the agreement the two companies struck in September, \
taking its investment to [$4 billion in all](source:datacenterdynamics-2024-03). Amazon keeps a minority \
stake, [the Associated Press reported](source:ap-etv-bharat-2024-03-28).

## The terms

In September Amazon put in [$1.25 billion for a minority stake](source:techcrunch-2023-09-25), with an \
option to take its total to [$4 billion](source:techcrunch-2023-09-25). It had until the end of the \
first quarter of 2024 to decide, [according to DatacenterDynamics](source:datacenterdynamics-2024-03).

The rest of the arrangement stands. [Amazon Web Services](party:aws) remains Anthropic's primary cloud \
provider for mission-critical work; Anthropic builds, trains and deploys its future models on AWS's \
Trainium and Inferentia chips, and has committed for the long term to offer them to AWS customers \
through Amazon Bedrock.

## What Amazon says

[Swami Sivasubramanian](party:swami-sivasubramanian), who runs data and AI at AWS, called generative AI \
[“poised to be the most transformational technology of our time”](quote:sivasubramanian-next).
""",
    },
    "parties": [
        ("amazon", "investor"),
        ("anthropic", "target"),
        ("aws", "partner"),
        ("swami-sivasubramanian", "mentioned"),
    ],
    "sources": ["datacenterdynamics-2024-03", "ap-etv-bharat-2024-03-28", "techcrunch-2023-09-25"],
    "quotes": ["sivasubramanian-next"],
    "notes": [],
    "deal": ("amazon-anthropic", 1),
}

SERIES_C_BRIEF = {
    "slug": "anthropic-raises-450-million-series-c",
    "fields": {
        "title": "Anthropic raises $450 million in a Series C led by Spark Capital",
        "dek": "Google, Salesforce Ventures, Sound Ventures and Zoom Ventures join the round, which TechCrunch "
        "reports valued the Claude maker at about $5 billion.",
        "status": "published",
        "published_at": datetime.datetime(2023, 5, 23, 14, 0, tzinfo=datetime.UTC),
        "body": """\
[Anthropic](party:anthropic) has raised [$450 million](source:anthropic-series-c-2023-05-23) in its \
Series C, a round led by [Spark Capital](party:spark-capital). [Google](party:google), \
[Salesforce Ventures](party:salesforce-ventures), [Sound Ventures](party:sound-ventures) and \
[Zoom Ventures](party:zoom-ventures) are among the investors, \
[the company said](source:anthropic-series-c-2023-05-23).

## The valuation

The valuation is not the company's figure but TechCrunch's: the round valued Anthropic at \
[about $5 billion](source:techcrunch-2023-09-25), the publication reported.
""",
    },
    "parties": [
        ("anthropic", "target"),
        ("spark-capital", "investor"),
        ("google", "investor"),
        ("salesforce-ventures", "investor"),
        ("sound-ventures", "investor"),
        ("zoom-ventures", "investor"),
    ],
    "sources": ["anthropic-series-c-2023-05-23", "techcrunch-2023-09-25"],
    "quotes": [],
    "notes": [],
    "deal": ("anthropic-series-c", 0),
}

OPENAI_BRIEF = {
    "slug": "microsoft-multibillion-dollar-investment-in-openai",
    "fields": {
        "title": "Microsoft makes a multiyear, multibillion-dollar investment in OpenAI",
        "dek": "The third phase of the partnership; neither company gave the amount, which Semafor and "
        "Bloomberg reported as $10 billion.",
        "status": "published",
        "published_at": datetime.datetime(2023, 1, 23, 14, 0, tzinfo=datetime.UTC),
        "body": """\
[Microsoft](party:microsoft) has announced the third phase of its partnership with \
[OpenAI](party:openai), a multiyear, multibillion-dollar investment that follows its earlier \
investments in 2019 and 2021, [according to its announcement](source:microsoft-blog-2023-01-23). \
Azure remains OpenAI's exclusive cloud provider.

## How much

Neither company disclosed the amount. Semafor had reported earlier in January that Microsoft was in \
talks to invest [about $10 billion](source:the-national-2023-01-23), and Bloomberg reported that the \
investment totals [$10 billion over multiple years](source:zdnet-2023-01-23). Counting the earlier \
phases, Microsoft has invested [as much as $11 billion](source:techcrunch-2023-09-25) in OpenAI over \
the years, [TechCrunch reported later](note:over-the-years).

## What they say

[Satya Nadella](party:satya-nadella), Microsoft's chairman and chief executive, said the two had formed \
the partnership [“around a shared ambition to responsibly advance cutting-edge AI research”](quote:nadella-shared-ambition). \
[Sam Altman](party:sam-altman), OpenAI's chief executive, said \
[“The past three years of our partnership have been great.”](quote:altman-partnership)
""",
    },
    "parties": [
        ("microsoft", "investor"),
        ("openai", "target"),
        ("satya-nadella", "mentioned"),
        ("sam-altman", "mentioned"),
    ],
    "sources": [
        "microsoft-blog-2023-01-23",
        "the-national-2023-01-23",
        "zdnet-2023-01-23",
        "techcrunch-2023-09-25",
    ],
    "quotes": ["nadella-shared-ambition", "altman-partnership"],
    "notes": [
        (
            "over-the-years",
            "TechCrunch's “as much as $11 billion”, from September 2023, counts all three phases of "
            "Microsoft's investment in OpenAI since 2019, so it is context for this deal, not its size.",
        ),
    ],
    "deal": ("microsoft-openai-2023", 0),
}

BRIEFS = [
    {
        "slug": BRIEF_SLUG,
        "fields": BRIEF,
        "parties": BRIEF_PARTIES,
        "sources": BRIEF_SOURCES,
        "quotes": BRIEF_QUOTES,
        "notes": BRIEF_NOTES,
        "deal": BRIEF_DEAL,
    },
    COMPLETION_BRIEF,
    SERIES_C_BRIEF,
    OPENAI_BRIEF,
]
