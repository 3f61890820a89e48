"""Writes the hand annotations of the seed article from the decisions recorded below.

Every record below was decided by reading the article against annotations/GUIDELINES.md. This
script only feeds each decision (a quoted string, made unique by an anchor where needed) to the
annotation API (caucasus_corpus.annotate, the one way records are made), which turns it into
character offsets and checks it, and saves annotations/actors.jsonl, annotations/topics.tsv and
annotations/records/<article>.jsonl through the library's one record writer
(caucasus_corpus.authoring.save), which validates the release and updates the manifest in one
commit. It refuses to write if a quote is missing or ambiguous.

    python scripts/annotate_seed.py [--check]

--check writes nothing and exits 1 when the committed files differ from what it would write
(records compared as parsed JSON: their key order is not part of the data).
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

from caucasus_corpus import annotate
from caucasus_corpus.authoring import annotation_files, save
from caucasus_corpus.release.layout import records_path

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = "commonspace-2017-05-17-azerbaijan-russia-low-point"
PREFIX = "cs4232"  # commonspace.eu news_id of the article, from its address
ANNOTATOR = "annotator-1"

AUTHOR = "commonspace-political-editor"
FACTS = "shared reference facts of the project (facts.md)"

ACTORS = [
    dict(actor_id=AUTHOR, name="the political editor of commonspace.eu", kind="unnamed", aliases=[],
         role="political editor", affiliation="commonspace-eu", country="",
         notes="Author of the commentary; the page gives no personal name. The stored byline is cut after 'the political editor of'."),
    dict(actor_id="commonspace-eu", name="commonspace.eu", kind="organisation", aliases=["commonspace.eu"],
         alias_sources={"commonspace.eu": "the article's page address and byline on commonspace.eu (missing from the stored byline)"},
         role="outlet", affiliation="", country="", notes="Publisher of the article; not named in the stored text."),
    dict(actor_id="azerbaijan", name="Azerbaijan", kind="state", aliases=["Azerbaijan", "Baku"], role="", affiliation="", country="AZ",
         notes="'Baku' is a mention only where it stands for the Azerbaijani leadership ('mend fences with Baku'), not where it names the city."),
    dict(actor_id="russia", name="Russia", kind="state", aliases=["Russia", "Russian Federation"], role="", affiliation="", country="RU", notes=""),
    dict(actor_id="armenia", name="Armenia", kind="state", aliases=["Armenia"], role="", affiliation="", country="AM", notes=""),
    dict(actor_id="azerbaijan-government", name="Government of Azerbaijan", kind="organisation", aliases=[], role="", affiliation="azerbaijan",
         country="AZ", notes="Referred to only by descriptions: 'government quarters', 'the government', 'relevant bodies of Azerbaijan'."),
    dict(actor_id="azerbaijan-mfa", name="Ministry of Foreign Affairs of Azerbaijan", kind="organisation", aliases=[], role="foreign ministry",
         affiliation="azerbaijan-government", country="AZ", notes="Called 'The Azerbaijani foreign ministry' and 'the Ministry' in the text."),
    dict(actor_id="hikmat-hajiyev", name="Hikmat Hajiyev", kind="person",
         aliases=["Hikmat Hajiyev", "Hikmat Hadjiev", "Hadjiev", "Hajiyev", "Hikmat Haciyev", "Hikmet Hajiyev", "Hajiev"],
         alias_sources={
             "Hikmat Hajiyev": "APA (en.apa.az), 2017",
             "Hikmat Haciyev": "anews.az, 17 May 2017 (Azerbaijani Latin spelling)",
             "Hikmet Hajiyev": "Eurasianet, September 2017",
             "Hajiev": "Eurasianet, September 2017, quoting Russia's Foreign Ministry ('Mr Hajiev')",
         },
         role="spokesperson of the Ministry of Foreign Affairs", affiliation="azerbaijan-mfa", country="AZ",
         notes="The article spells him both Hadjiev and Hajiyev. His comments quoted in the article were first given in an interview to the APA news agency (en.apa.az)."),
    dict(actor_id="ilham-aliyev", name="Ilham Aliyev", kind="person", aliases=["Ilham Aliyev"], role="President of Azerbaijan",
         affiliation="azerbaijan-government", country="AZ", notes="Also 'his Azerbaijani counterpart' (of Putin)."),
    dict(actor_id="vladimir-putin", name="Vladimir Putin", kind="person", aliases=["Putin", "Vladimir Putin"], role="President of Russia",
         affiliation="russian-government", country="RU", notes="The article calls him 'President Putin' only."),
    dict(actor_id="russian-government", name="Government of Russia", kind="organisation", aliases=[], role="", affiliation="russia",
         country="RU", notes="'a government request' and 'the highest leadership of Russia'. Per contemporaneous coverage (Eurasianet) the request to close VAK came from Russia's Ministry of Justice."),
    dict(actor_id="russia-supreme-court", name="Supreme Court of Russia", kind="organisation", aliases=["Russia's Supreme Court"],
         alias_sources={"Russia's Supreme Court": "Eurasianet, 'Russia Closes Azerbaijani Diaspora Organization'"},
         role="court", affiliation="russia", country="RU",
         notes="The article says 'a Moscow court'. Per Eurasianet it ruled on 15 May 2017 to revoke the registration of the All-Russian Azerbaijani Congress and upheld the liquidation on 19 September 2017."),
    dict(actor_id="milli-meclis", name="Milli Meclis", kind="organisation", aliases=["Milli Meclis"], role="parliament of Azerbaijan",
         affiliation="azerbaijan", country="AZ", notes="Also 'parliament', 'the Azerbaijan parliament'."),
    dict(actor_id="azerbaijani-mps", name="members of the Azerbaijan parliament", kind="group", aliases=[], role="",
         affiliation="milli-meclis", country="AZ", notes="Also 'the MPs' and 'fellow parliamentarians'."),
    dict(actor_id="siyavoush-novruzov", name="Siyavoush Novruzov", kind="person", aliases=["Siyavoush Novruzov", "Novruzov"],
         role="MP; one of the top leaders of YAP; chairs the parliamentary committee on public unions (as the article says)",
         affiliation="yap", country="AZ", notes="No other published spelling has been verified yet."),
    dict(actor_id="gudrat-hasanguliyev", name="Gudrat Hasanguliyev", kind="person", aliases=["Gudrat Hasanguliyev", "Hasanguliyev", "Hasanguliev"],
         role="MP, not officially a member of the ruling party (as the article says)", affiliation="milli-meclis", country="AZ",
         notes="The article spells him both Hasanguliyev and Hasanguliev."),
    dict(actor_id="yap", name="New Azerbaijan Party", kind="organisation", aliases=["YAP"], role="ruling party", affiliation="", country="AZ",
         notes="Called 'the ruling YAP party' and 'the ruling party'."),
    dict(actor_id="committee-public-unions", name="Committee on public unions and religious organizations", kind="organisation",
         aliases=["Committee on public unions and religious organizations"], role="parliamentary committee", affiliation="milli-meclis",
         country="AZ", notes="Chaired by Siyavoush Novruzov, as he says in the article."),
    dict(actor_id="vak", name="All-Russian Azerbaijani Congress", kind="organisation",
         aliases=["All-Russian Azerbaijani Congress", "All-Russia Azerbaijani Congress", "VAK", "ARAC", "ACA"],
         alias_sources={"ARAC": "Eurasianet", "ACA": "aze.media"}, role="organisation of the Azerbaijani diaspora in Russia",
         affiliation="", country="RU", notes="VAK are its Russian initials (the article and APA). Also 'the Congress' and 'an organisation'."),
    dict(actor_id="union-of-armenians-of-russia", name="Union of Armenians of Russia", kind="organisation",
         aliases=["Union of Armenians of Russia"], role="", affiliation="", country="RU", notes=""),
    dict(actor_id="azerbaijani-diaspora-russia", name="the Azerbaijani diaspora in Russia", kind="group", aliases=[], role="",
         affiliation="", country="", notes=""),
    dict(actor_id="armenian-diaspora", name="the Armenian Diaspora", kind="group", aliases=[], role="", affiliation="", country="",
         notes="In the article, the Armenian diaspora's influence on Russian policy."),
    dict(actor_id="apa", name="APA", kind="organisation", aliases=["APA"], role="news agency", affiliation="", country="",
         notes="'the news agency APA'; its English site is en.apa.az."),
    dict(actor_id="some-people-in-russia", name="some people in Russia", kind="unnamed", aliases=[], role="", affiliation="",
         country="", notes="As Novruzov puts it."),
    dict(actor_id="international-circles", name="international circles", kind="unnamed", aliases=[], role="", affiliation="",
         country="", notes="As Novruzov puts it."),
    dict(actor_id="some-observers", name="some observers", kind="unnamed", aliases=[], role="", affiliation="", country="", notes=""),
    dict(actor_id="later-reports", name="later reports", kind="unnamed", aliases=[], role="", affiliation="", country="", notes=""),
    dict(actor_id="unattributed", name="unattributed (impersonal 'it was thought')", kind="unnamed", aliases=[], role="",
         affiliation="", country="", notes="Source of views the text reports impersonally, with no holder named."),
    dict(actor_id="provocative-group", name="provocative group among Azerbaijani military", kind="group", aliases=[],
         role="", affiliation="", country="", notes="As Hasanguliyev puts it."),
    dict(actor_id="arrested-officers", name="mid ranking military officers arrested on suspicion of espionage", kind="group",
         aliases=[], role="", affiliation="azerbaijani-army", country="AZ", notes="'dozens of mid ranking military officers'."),
    dict(actor_id="azerbaijani-army", name="Azerbaijani army", kind="organisation", aliases=[], role="armed forces",
         affiliation="azerbaijan", country="AZ", notes="'Azerbaijani military', 'the Azerbaijani army'."),
    dict(actor_id="russian-military", name="Russian military", kind="organisation", aliases=[], role="armed forces",
         affiliation="russia", country="RU", notes=""),
    dict(actor_id="russian-centres-azerbaijan", name="Russian centres and communities in Azerbaijan", kind="group", aliases=[],
         role="", affiliation="", country="AZ", notes="Russian kindergartens, schools, centres and communities in Azerbaijan."),
    dict(actor_id="former-nomenklatura", name="the former communist nomenklatura", kind="group", aliases=[], role="",
         affiliation="", country="AZ", notes="Spelled 'nomenklatua' in the article (kept in the mention)."),
    dict(actor_id="azerbaijan-ruling-elite-sections", name="Azerbaijan ruling elite (some sections)", kind="group",
         aliases=[], role="", affiliation="", country="AZ", notes=""),
]

TOPICS = [
    ("vak-closure", "closure of VAK",
     "The forced closure (liquidation) of the All-Russian Azerbaijani Congress (VAK) by a court decision at the Russian government's request."),
]


# -- mentions: (quote, anchor or None, actor, form) --------------------------------------------------
MENTIONS = [
    ("Azerbaijan", "Relations between Azerbaijan and Russia hit", "azerbaijan", "name"),
    ("Russia", "Relations between Azerbaijan and Russia hit", "russia", "name"),
    ("the political editor of", None, AUTHOR, "nominal"),
    ("Azerbaijan", "Relations between Azerbaijan and Russia appear", "azerbaijan", "name"),
    ("Russia", "Relations between Azerbaijan and Russia appear", "russia", "name"),
    ("members of the Azerbaijan parliament", None, "azerbaijani-mps", "nominal"),
    ("Azerbaijan", "members of the Azerbaijan parliament", "azerbaijan", "name"),
    ("Russia", "lined up to criticise Russia", "russia", "name"),
    ("a Moscow court", None, "russia-supreme-court", "nominal"),
    ("government", "a government request", "russian-government", "nominal"),
    ("VAK", "the closure of VAK (the", "vak", "name"),
    ("All-Russia Azerbaijani Congress", None, "vak", "name"),
    ("an organisation", "- an organisation that represents", "vak", "nominal"),
    ("the Azerbaijani diaspora in Russia", None, "azerbaijani-diaspora-russia", "nominal"),
    ("Russia", "the Azerbaijani diaspora in Russia", "russia", "name"),
    ("Azerbaijan", "lobbying group for Azerbaijan", "azerbaijan", "name"),
    ("Russia", "Public criticism of Russia in Azerbaijan", "russia", "name"),
    ("Azerbaijan", "Public criticism of Russia in Azerbaijan", "azerbaijan", "name"),
    ("Ilham Aliyev", None, "ilham-aliyev", "name"),
    ("Putin", "President Putin has visited", "vladimir-putin", "name"),
    ("government quarters", None, "azerbaijan-government", "nominal"),
    ("parliament", "government quarters and parliament were", "milli-meclis", "nominal"),
    ("The Azerbaijani foreign ministry", None, "azerbaijan-mfa", "nominal"),
    ("Hikmat Hadjiev", None, "hikmat-hajiyev", "name"),
    ("the Ministry spokesperson", None, "hikmat-hajiyev", "nominal"),
    ("VAK", "said that VAK", "vak", "name"),
    ("Russia", "socio-political life of Russia", "russia", "name"),
    ("Azerbaijan", "diversification of Azerbaijan-Russia ties", "azerbaijan", "name"),
    ("Russia", "diversification of Azerbaijan-Russia ties", "russia", "name"),
    ("Hajiyev", "Hajiyev recalled", "hikmat-hajiyev", "name"),
    ("the Congress", "representatives of the Congress", "vak", "nominal"),
    ("the highest leadership of Russia", None, "russian-government", "nominal"),
    ("Russia", "the highest leadership of Russia", "russia", "name"),
    ("All-Russian Azerbaijani Congress", "\"The All-Russian Azerbaijani Congress existed", "vak", "name"),
    ("Russia", "minorities living in Russia.", "russia", "name"),
    ("The Congress", "The Congress was established", "vak", "nominal"),
    ("Russia", "the laws of Russia", "russia", "name"),
    ("the Congress", "Along with the Congress", "vak", "nominal"),
    ("Union of Armenians of Russia", "such as the Union of Armenians of Russia-in", "union-of-armenians-of-russia", "name"),
    ("Russia", "-in Russia that", "russia", "name"),
    ("the Congress", "discrimination against the Congress", "vak", "nominal"),
    ("Hajiyev", "said Hajiyev.", "hikmat-hajiyev", "name"),
    ("The spokesman", None, "hikmat-hajiyev", "nominal"),
    ("Russia", "interethnic relations in Russia, the concept", "russia", "name"),
    ("the country", "reforms conducted in the country", "russia", "nominal"),
    ("Azerbaijan", "positive impact on Azerbaijan-Russia ties", "azerbaijan", "name"),
    ("Russia", "positive impact on Azerbaijan-Russia ties", "russia", "name"),
    ("Russia", "people who are citizens of Russia", "russia", "name"),
    ("the Armenian Diaspora", None, "armenian-diaspora", "nominal"),
    ("Russia", "strong influence on Russia's", "russia", "name"),
    ("Azerbaijan", "development of Azerbaijan-Russia interstate", "azerbaijan", "name"),
    ("Russia", "development of Azerbaijan-Russia interstate", "russia", "name"),
    ("Hadjiev", "in Hadjiev's comments", "hikmat-hajiyev", "name"),
    ("Russian Federation", None, "russia", "name"),
    ("VAK", "The liquidation of the VAK", "vak", "name"),
    ("Union of Armenians of Russia", "full support for the Union of Armenians of Russia", "union-of-armenians-of-russia", "name"),
    ("Russia", "negatively affect Russia's", "russia", "name"),
    ("Hadjiev", "whilst Hadjiev stuck", "hikmat-hajiyev", "name"),
    ("Milli Meclis", None, "milli-meclis", "name"),
    ("the MPs", None, "azerbaijani-mps", "nominal"),
    ("Siyavoush Novruzov", None, "siyavoush-novruzov", "name"),
    ("a senior MP", None, "siyavoush-novruzov", "nominal"),
    ("one of the top leaders of the ruling YAP party", None, "siyavoush-novruzov", "nominal"),
    ("YAP", None, "yap", "name"),
    ("Novruzov", "Tuesday, Novruzov noted", "siyavoush-novruzov", "name"),
    ("some people in Russia", None, "some-people-in-russia", "nominal"),
    ("Russia", "some people in Russia", "russia", "name"),
    ("APA", None, "apa", "name"),
    ("Azerbaijan", "He said that Azerbaijan-Russia", "azerbaijan", "name"),
    ("Russia", "He said that Azerbaijan-Russia", "russia", "name"),
    ("international circles", None, "international-circles", "nominal"),
    ("Russia", "because of Russia.", "russia", "name"),
    ("Russia", "acted against Russia's", "russia", "name"),
    ("the MP", "said the MP but", "siyavoush-novruzov", "nominal"),
    ("parliament", "urged parliament", "milli-meclis", "nominal"),
    ("Russia", "Has Russia no bigger", "russia", "name"),
    ("All-Russian Azerbaijani Congress", "then the All-Russian Azerbaijani Congress?", "vak", "name"),
    ("a lot of Russian kindergartens, schools and centres in Azerbaijan", None, "russian-centres-azerbaijan", "nominal"),
    ("Azerbaijan", "schools and centres in Azerbaijan", "azerbaijan", "name"),
    ("the parliament", "chairman of the parliament's Committee", "milli-meclis", "nominal"),
    ("Committee on public unions and religious organizations", None, "committee-public-unions", "name"),
    ("relevant bodies of Azerbaijan", None, "azerbaijan-government", "nominal"),
    ("Azerbaijan", "relevant bodies of Azerbaijan", "azerbaijan", "name"),
    ("the Russian centres and communities in the country", None, "russian-centres-azerbaijan", "nominal"),
    ("one NGO", None, "vak", "nominal"),
    ("Some observers", None, "some-observers", "nominal"),
    ("VAK", "the VAK organisation", "vak", "name"),
    ("parliament", "the issue in parliament on Tuesday", "milli-meclis", "nominal"),
    ("Gudrat Hasanguliyev", None, "gudrat-hasanguliyev", "name"),
    ("an MP", "Hasanguliyev an MP", "gudrat-hasanguliyev", "nominal"),
    ("the ruling party", None, "yap", "nominal"),
    ("the government", "messages from the government", "azerbaijan-government", "nominal"),
    ("Russia", "investigation into Russia's", "russia", "name"),
    ("a provocative group", None, "provocative-group", "nominal"),
    ("Azerbaijani military", None, "azerbaijani-army", "nominal"),
    ("Hasanguliev", None, "gudrat-hasanguliyev", "name"),
    ("dozens of mid ranking military officers", None, "arrested-officers", "nominal"),
    ("Armenia", "spying for Armenia", "armenia", "name"),
    ("later reports", None, "later-reports", "nominal"),
    ("Russia", "working for Russia", "russia", "name"),
    ("Russian military", None, "russian-military", "nominal"),
    ("the Azerbaijani army", None, "azerbaijani-army", "nominal"),
    ("Azerbaijan", "held in Azerbaijan next year", "azerbaijan", "name"),
    ("Russia", "election, Russia is intensifying", "russia", "name"),
    ("Azerbaijan", "provocations against Azerbaijan", "azerbaijan", "name"),
    ("Hasanguliyev", "added Hasanguliyev", "gudrat-hasanguliyev", "name"),
    ("fellow parliamentarians", None, "azerbaijani-mps", "nominal"),
    ("Russia", "dissapointment that Russia failed", "russia", "name"),
    ("Putin", "later President Putin will", "vladimir-putin", "name"),
    ("Baku", "mend fences with Baku", "azerbaijan", "name"),
    ("his Azerbaijani counterpart", None, "ilham-aliyev", "nominal"),
    ("the former communist nomenklatua", None, "former-nomenklatura", "nominal"),
    ("Russia", "positive towards Russia", "russia", "name"),
    ("some sections of the Azerbaijan ruling elite", None, "azerbaijan-ruling-elite-sections", "nominal"),
    ("Azerbaijan", "sections of the Azerbaijan ruling elite", "azerbaijan", "name"),
    ("Russia", "misgivings on Russia", "russia", "name"),
]

# -- claims: (quote, anchor, speaker, cue (quote, anchor) or None, attribution, claim_type, targets, extra) --
A = "authorial"
H, N, G = "hikmat-hajiyev", "siyavoush-novruzov", "gudrat-hasanguliyev"
P10_QUOTE_ANCHOR = "There was also in Hadjiev's comments"
CLAIMS = [
    ("Relations between Azerbaijan and Russia hit an uncharacteristically low point", "Relations between Azerbaijan and Russia hit an uncharacteristically low point\n17 May", AUTHOR, None, A, "evaluation", ["azerbaijan", "russia"], {"note": "The headline."}),
    ("Relations between Azerbaijan and Russia appear to have hit an uncharacteristically low point this week", None, AUTHOR, None, A, "evaluation", ["azerbaijan", "russia"], {}),
    ("On Tuesday (16 May), members of the Azerbaijan parliament lined up to criticise Russia following a decision by a Moscow court to accept a government request to force the closure of VAK (the All-Russia Azerbaijani Congress) - an organisation that represents the Azerbaijani diaspora in Russia, and which often also acts as a lobbying group for Azerbaijan", None, AUTHOR, None, A, "assertion", ["azerbaijani-mps", "russia", "russia-supreme-court", "russian-government", "vak"], {}),
    ("Public criticism of Russia in Azerbaijan since president Ilham Aliyev came to power in 2003 has been rare, and usually limited to issues related to the Karabakh conflict", None, AUTHOR, None, A, "assertion", ["azerbaijan", "russia"], {}),
    ("they share a strategic relationship", None, "azerbaijan", ("claim", "The two sides claim"), "indirect", "assertion", ["azerbaijan", "russia"], {"note": "'The two sides' claim jointly: one record per side."}),
    ("they share a strategic relationship", None, "russia", ("claim", "The two sides claim"), "indirect", "assertion", ["azerbaijan", "russia"], {"note": "'The two sides' claim jointly: one record per side."}),
    ("President Putin has visited Baku several times in recent years in an effort to cement ties", None, AUTHOR, None, A, "assertion", ["vladimir-putin", "azerbaijan"], {}),
    ("Problems were usually dealt with in private", None, AUTHOR, None, A, "assertion", ["azerbaijan", "russia"], {}),
    ("It seems however that now the gloves are off, and whilst the tone of the criticism of the last days varied, the messages from both government quarters and parliament were equally forceful", None, AUTHOR, None, A, "evaluation", ["azerbaijan-government", "milli-meclis"], {}),
    ("the decision as \"a source of great regret and surprise\"", None, "azerbaijan-mfa", ("described", "foreign ministry described"), "mixed", "evaluation", ["russia-supreme-court"], {}),
    ("an uncharacteristically long and detailed comment", None, AUTHOR, None, A, "evaluation", [H], {}),
    ("VAK \"took an active part in the socio-political life of Russia, played an effective role in the diversification of Azerbaijan-Russia ties, and in the development of interregional cooperation\"", None, H, ("said", "detailed comment, said that"), "mixed", "evaluation", ["vak"], {}),
    ("representatives of the Congress were repeatedly awarded by the highest leadership of Russia", None, H, ("recalled", None), "indirect", "assertion", ["vak", "russian-government"], {}),
    ("The All-Russian Azerbaijani Congress existed as an organization uniting other numerous ethnic and national minorities living in Russia", None, H, ("said", "said Hajiyev."), "direct", "assertion", ["vak"], {}),
    ("The Congress was established as a non-governmental organization on the basis of the laws of Russia and in accordance with them", None, H, ("said", "said Hajiyev."), "direct", "assertion", ["vak"], {}),
    ("Along with the Congress, there are non-governmental organizations-such as the Union of Armenians of Russia-in Russia that unite various ethnic and national groups", None, H, ("said", "said Hajiyev."), "direct", "assertion", ["vak", "union-of-armenians-of-russia"], {}),
    ("As regards non-governmental organizations of national minorities in the political arena, we regard such discrimination against the Congress as an unfriendly step", None, H, ("said", "said Hajiyev."), "direct", "evaluation", ["vak", "russia"], {}),
    ("this approach will not serve the balance of interethnic relations in Russia, the concept of reforms conducted in the country, and the strengthening of intercultural dialogue, and furthermore will not hav a positive impact on Azerbaijan-Russia ties", None, H, ("said he believes", None), "indirect", "prediction", ["russia"], {}),
    ("In this step, we see a manifestation of ethnic discrimination and bias towards people who are citizens of Russia", None, H, ("he added", "causes us regret,\" he added"), "direct", "evaluation", ["russia"], {}),
    ("Of course, if we come to the conclusion that the Armenian Diaspora has such a strong influence on Russia's domestic and foreign policy that they can influence Russian policy in this way, then, undoubtedly, this kind of threat to the prospects for the development of Azerbaijan-Russia interstate relations causes us regret", None, H, ("he added", "causes us regret,\" he added"), "direct", "evaluation", ["armenian-diaspora", "russia"], {}),
    ("There was also in Hadjiev's comments a hint of a threat", None, AUTHOR, None, A, "evaluation", [H, "russia"], {}),
    ("The Russian Federation, as one of the main mediators in the negotiation process for a peaceful settlement of the Armenia-Azerbaijan Nagorno-Karabakh conflict for years, has made important commitments", None, H, ("he concluded", None), "direct", "assertion", ["russia"], {}),
    ("Conscientious fulfillment of these obligations at the same time requires that the balance of relations be maintained over the issue of settling interethnic relations and the principle of justice not be violated", None, H, ("he concluded", None), "direct", "demand", ["russia"], {}),
    ("The liquidation of the VAK and full support for the Union of Armenians of Russia can be perceived as a manifestation of an imbalance in relation to Russian citizens of Armenian and Azerbaijani nationalities, which can negatively affect Russia's mediatory role in the settlement of the Armenia-Azerbaijan Nagorno-Karabakh conflict", None, H, ("he concluded", None), "direct", "prediction", ["russia", "vak", "union-of-armenians-of-russia"], {}),
    ("But whilst Hadjiev stuck to diplomatic nicities, in the Milli Meclis the MPs did not mince their words", None, AUTHOR, None, A, "evaluation", [H, "azerbaijani-mps"], {}),
    ("The attack was led by Siyavoush Novruzov, a senior MP and one of the top leaders of the ruling YAP party", None, AUTHOR, None, A, "assertion", [N], {}),
    ("some people in Russia rely more on their personal interests than national interests", None, N, ("noted with regret", None), "indirect", "evaluation", ["some-people-in-russia"], {"via": "apa"}),
    ("Azerbaijan-Russia relations are already damaged", None, N, ("said", "He said that"), "indirect", "evaluation", ["azerbaijan", "russia"], {}),
    ("Immediate actions must be taken in this regard", None, N, ("said", "said the MP"), "direct", "demand", [], {}),
    ("We have been pressurized many times by international circles because of Russia", None, N, ("said", "said the MP"), "direct", "assertion", ["international-circles", "russia"], {}),
    ("However, we have never acted against Russia's interests", None, N, ("said", "said the MP"), "direct", "assertion", ["russia"], {}),
    ("parliament on this occasion to take a position", None, N, ("said urged", None), "indirect", "demand", ["milli-meclis"], {"note": "The text reads 'he said urged' (sic); the cue keeps it."}),
    ("What does this mean?", None, N, ("he added", "\", he added, in a not so subtle threat"), "direct", "question", [], {"note": "Rhetorical question."}),
    ("Has Russia no bigger problems to deal with then the All-Russian Azerbaijani Congress?", None, N, ("he added", "\", he added, in a not so subtle threat"), "direct", "question", ["russia", "vak"], {"note": "Rhetorical question: criticises Russia for the closure."}),
    ("There are a lot of Russian kindergartens, schools and centres in Azerbaijan", None, N, ("he added", "\", he added, in a not so subtle threat"), "direct", "assertion", ["russian-centres-azerbaijan"], {}),
    ("As chairman of the parliament's Committee on public unions and religious organizations, I will officially appeal to relevant bodies of Azerbaijan to submit reports on availability of documents of the Russian centres and communities in the country", None, N, ("he added", "\", he added, in a not so subtle threat"), "direct", "prediction", ["russian-centres-azerbaijan", "russia"], {"note": "A stated intention; also recorded as a threat."}),
    ("a not so subtle threat", None, AUTHOR, None, A, "evaluation", [N, "russia"], {}),
    ("Can the closing down of one NGO spoil a relationship that both sides have on many occasions described as strategic", None, AUTHOR, None, A, "question", ["azerbaijan", "russia", "vak"], {"note": "A question without a question mark in the source."}),
    ("there is much more to this than simply the closure of the VAK organisation", None, "some-observers", ("think", "Some observers think"), "indirect", "evaluation", ["vak"], {}),
    ("while officially not part of the ruling party, often delivers important messages from the government", None, AUTHOR, None, A, "assertion", [G, "azerbaijan-government"], {}),
    ("an investigation into Russia's involvement in the activity of a provocative group identified among Azerbaijani military", None, G, ("called for", None), "mixed", "demand", ["russia", "provocative-group"], {}),
    ("Hasanguliev was speaking on the case of dozens of mid ranking military officers that last week were arrested on suspicion of espionage", None, AUTHOR, None, A, "assertion", [G, "arrested-officers"], {}),
    ("they were suspected of spying for Armenia", None, "unattributed", ("it was thought", None), "indirect", "assertion", ["arrested-officers", "armenia"], {}),
    ("they were in fact working for Russia", None, "later-reports", ("suggested", "later reports suggested"), "indirect", "assertion", ["arrested-officers", "russia"], {}),
    ("Now not only Armenian, but also Russian military are against the Azerbaijani army", None, G, ("added", "\" added Hasanguliyev"), "direct", "assertion", ["russian-military", "azerbaijani-army"], {}),
    ("The presidential election will be held in Azerbaijan next year", None, G, ("added", "\" added Hasanguliyev"), "direct", "prediction", ["azerbaijan"], {}),
    ("As before and this time before the presidential election, Russia is intensifying its pressure and provocations against Azerbaijan", None, G, ("added", "\" added Hasanguliyev"), "direct", "assertion", ["russia", "azerbaijan"], {}),
    ("Underlying all this is also widespread Azerbaijani dissapointment that Russia failed in its efforts to deliver progress in the negotiations on Nagorno-Karabakh, as had been widely expected last year", None, AUTHOR, None, A, "assertion", ["azerbaijan", "russia"], {}),
    ("It is likely that sooner or later President Putin will try to intervene to mend fences with Baku", None, AUTHOR, None, A, "prediction", ["vladimir-putin", "azerbaijan"], {}),
    ("Over the last years he has invested a lot of time building relations with his Azerbaijani counterpart whilst nurturing relations also with the former communist nomenklatua, many of which remain positive towards Russia", None, AUTHOR, None, A, "assertion", ["vladimir-putin", "ilham-aliyev", "former-nomenklatura"], {}),
    ("But some sections of the Azerbaijan ruling elite have traditionally had misgivings on Russia, and the latest developments only re-enforce their concerns", None, AUTHOR, None, A, "assertion", ["azerbaijan-ruling-elite-sections", "russia"], {}),
    ("The issue therefore is likely to continue to unfold over the next days and weeks, and in ways that may not be fully predictable", None, AUTHOR, None, A, "prediction", [], {}),
]

# -- threats: (quote, anchor, speaker, target, explicitness, cameo, plover_mode or None, cue or None, note) --
THREATS = [
    ("The Russian Federation, as one of the main mediators in the negotiation process for a peaceful settlement of the Armenia-Azerbaijan Nagorno-Karabakh conflict for years, has made important commitments. Conscientious fulfillment of these obligations at the same time requires that the balance of relations be maintained over the issue of settling interethnic relations and the principle of justice not be violated. The liquidation of the VAK and full support for the Union of Armenians of Russia can be perceived as a manifestation of an imbalance in relation to Russian citizens of Armenian and Azerbaijani nationalities, which can negatively affect Russia's mediatory role in the settlement of the Armenia-Azerbaijan Nagorno-Karabakh conflict",
     None, H, "russia", "implicit", "130", None, ("a hint of a threat", None),
     "Veiled: Russia's standing as mediator in the Nagorno-Karabakh settlement may suffer if the imbalance continues. No CAMEO subcode fits exactly (135 is a source halting its own mediation), so 130."),
    ("As chairman of the parliament's Committee on public unions and religious organizations, I will officially appeal to relevant bodies of Azerbaijan to submit reports on availability of documents of the Russian centres and communities in the country",
     None, N, "russia", "explicit", "132", "restrict", ("a not so subtle threat", None),
     "An administrative measure against Russian centres and communities in Azerbaijan, announced in reply to the closure of VAK; the author calls it a not so subtle threat."),
]

# -- stance: (evidence quote, anchor, holder, target, polarity, note) ----------------------------------
STANCE = [
    ("lined up to criticise Russia", None, "azerbaijani-mps", "russia", "against", ""),
    ("a government request to force the closure of VAK", None, "russian-government", "vak", "against", ""),
    ("acts as a lobbying group for Azerbaijan", None, "vak", "azerbaijan", "favor", ""),
    ("The two sides claim that they share a strategic relationship", None, "azerbaijan", "russia", "favor", "Declared official stance, as the author reports it."),
    ("The two sides claim that they share a strategic relationship", None, "russia", "azerbaijan", "favor", "Declared official stance, as the author reports it."),
    ("President Putin has visited Baku several times in recent years in an effort to cement ties", None, "vladimir-putin", "azerbaijan", "favor", ""),
    ("the messages from both government quarters and parliament were equally forceful", None, "azerbaijan-government", "russia", "against", "The messages are the criticism of Russia of the last days."),
    ("the messages from both government quarters and parliament were equally forceful", None, "milli-meclis", "russia", "against", "The messages are the criticism of Russia of the last days."),
    ("the decision as \"a source of great regret and surprise\"", None, "azerbaijan-mfa", "vak-closure", "against", ""),
    ("VAK \"took an active part in the socio-political life of Russia, played an effective role in the diversification of Azerbaijan-Russia ties, and in the development of interregional cooperation\"", None, H, "vak", "favor", ""),
    ("we regard such discrimination against the Congress as an unfriendly step", None, H, "vak-closure", "against", ""),
    ("In this step, we see a manifestation of ethnic discrimination and bias towards people who are citizens of Russia", None, H, "vak-closure", "against", ""),
    ("the Armenian Diaspora has such a strong influence on Russia's domestic and foreign policy that they can influence Russian policy in this way", None, H, "armenian-diaspora", "against", "Put as a condition ('if we come to the conclusion'), but the insinuation of undue influence is negative."),
    ("The attack was led by Siyavoush Novruzov", None, N, "russia", "against", "The author frames the MPs' criticism of Russia as an attack led by Novruzov."),
    ("some people in Russia rely more on their personal interests than national interests", None, N, "some-people-in-russia", "against", ""),
    ("Has Russia no bigger problems to deal with then the All-Russian Azerbaijani Congress?", None, N, "vak-closure", "against", ""),
    ("Russia is intensifying its pressure and provocations against Azerbaijan", None, G, "russia", "against", ""),
    ("widespread Azerbaijani dissapointment that Russia failed in its efforts to deliver progress in the negotiations on Nagorno-Karabakh", None, "azerbaijan", "russia", "against", "Held by Azerbaijanis widely, as the author asserts."),
    ("he has invested a lot of time building relations with his Azerbaijani counterpart", None, "vladimir-putin", "ilham-aliyev", "favor", ""),
    ("nurturing relations also with the former communist nomenklatua", None, "vladimir-putin", "former-nomenklatura", "favor", ""),
    ("many of which remain positive towards Russia", None, "former-nomenklatura", "russia", "favor", ""),
    ("have traditionally had misgivings on Russia", None, "azerbaijan-ruling-elite-sections", "russia", "against", ""),
]


def build_records() -> list[dict]:
    """The seed article's records, made through the annotation API (caucasus_corpus.annotate) in a
    scratch copy of the release whose seed records are emptied first; ids as in the release."""
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp) / "release"
        scratch.mkdir()
        shutil.copy2(ROOT / "datapackage.json", scratch / "datapackage.json")
        for folder in ("corpus", "annotations"):
            shutil.copytree(ROOT / folder, scratch / folder)
        save(scratch, records={ARTICLE: []}, actors=ACTORS, topics=topics())
        session = annotate(scratch, ARTICLE, annotator=ANNOTATOR, prefix=PREFIX)
        with session.batch():
            for quote, anchor, actor, form in MENTIONS:
                session.mention(quote=quote, anchor=anchor, actor=actor, form=form)
            for quote, anchor, speaker, cue, attribution, claim_type, targets, extra in CLAIMS:
                session.claim(quote=quote, anchor=anchor, speaker=speaker, cue=cue[0] if cue else None,
                              cue_anchor=cue[1] if cue else None, attribution=attribution, claim_type=claim_type,
                              targets=targets, **extra)
            for quote, anchor, speaker, target, explicitness, cameo, plover, cue, note in THREATS:
                session.threat(quote=quote, anchor=anchor, speaker=speaker, target=target, explicitness=explicitness,
                               cameo=cameo, plover_mode=plover, cue=cue[0] if cue else None,
                               cue_anchor=cue[1] if cue else None, note=note)
            for quote, anchor, holder, target, polarity, note in STANCE:
                session.stance(quote=quote, anchor=anchor, holder=holder, target=target, polarity=polarity, note=note)
        return session.record_list()


def topics() -> list[dict]:
    return [{"topic_id": a, "label": b, "description": c} for a, b, c in TOPICS]


def parsed(path: Path) -> list[dict]:
    return sorted((json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()),
                  key=lambda r: r["id"])


def stale_files(records: list[dict]) -> list[Path]:
    """The committed files that differ from the decisions: records compared parsed (their key
    order is not part of the data), actors and topics byte for byte."""
    files = annotation_files(actors=ACTORS, topics=topics())
    stale = [ROOT / p for p, text in files.items() if not (ROOT / p).exists() or (ROOT / p).read_text(encoding="utf-8") != text]
    rec_file = ROOT / records_path(ARTICLE)
    if not rec_file.exists() or parsed(rec_file) != sorted(records, key=lambda r: r["id"]):
        stale.append(rec_file)
    return stale


def main(argv: list[str]) -> int:
    records = build_records()
    stale = stale_files(records)
    if "--check" in argv:
        for p in stale:
            print(f"{p.relative_to(ROOT)} differs from scripts/annotate_seed.py; rerun it")
        return 1 if stale else 0
    if not stale:
        print("the committed files already hold these decisions; nothing to write")
        return 0
    save(ROOT, records={ARTICLE: records}, actors=ACTORS, topics=topics())
    for path in stale:
        print(f"saved {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
