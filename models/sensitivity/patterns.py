"""The pattern signal: stem-aware regular expressions per theme, for how people really write.

The phrase list (`phrases.py`) needs the exact words; these patterns cover the rest:
inflection and past tense ("geschopt", "sloeg", "kicked"), separable verbs with words in
between ("zet me volgende maand op straat"), compounds ("slaappillen", "huurachterstand"),
and the indirect ways people speak of ending their life ("nooit meer wakker worden",
"beter af zonder mij"). Everyday look-alikes are removed first ("slaan elkaar met
kussens", "mijn auto slaat niet aan"). Negation ("geen schulden") lowers a professional
signal to uncertain; it never lowers a crisis signal (better once too careful).
"""

from __future__ import annotations

import re
from functools import cache

from models.sensitivity.model import Level, Sensitivity, Theme

G = r"(?:\w+ ){0,%d}"  # a gap of up to %d words


def _gap(n: int) -> str:
    return G % n


OBJ = r"(?:me|mij|m|ons|haar|hem|mn vrouw|zijn vrouw|het kind|hun kind|de kinderen|hun kinderen)"
KID = (
    r"(?:kind|kinderen|kindje|zoon|zoontje|dochter|dochtertje|zusje|broertje|buurmeisje|"
    r"buurjongetje|buurjongen|jongetje|meisje|kleinkind|kleindochter|kleinzoon)"
)
PARTNER = (
    r"(?:man|vrouw|vriend|vriendin|partner|ex|vent|vader|moeder|stiefvader|stiefmoeder|"
    r"stiefpa|zoon|broer|schoonfamilie|familie|schoonvader)"
)

# Everyday sentences that look alike: removed before the patterns look.
_NOT = [
    r"sla(?:an|at)? elkaar",
    r"elkaar " + _gap(3) + r"(?:kussens?|slaan|sla)",
    r"(?:slaat|sloeg|slaan) " + _gap(2) + r"(?:niet )?aan\b",
    r"slaat " + _gap(1) + r"op hol",
    r"sla " + _gap(1) + r"(?:de|het) (?:eieren|ei|hoek)",
    r"(?:kapot|in|om) ?geslagen",
    r"ingeslagen",
    r"slaat " + _gap(3) + r"deur",
    r"(?:dood|kapot) van (?:de|het) (?:hitte|lachen|kou|honger|schrik)",
    r"schrok " + _gap(2) + r"dood",
    r"beats me",
    r"hit me up",
    r"beat (?:me|us) at",
    r"abuse of power",
    r"each other",
    r"dying to",
    r"(?:died|die) laughing",
    r"killing me that",
    r"(?:voor|wegens) (?:de )?werkzaamheden",
    r"op straat " + _gap(3) + r"(?:grofvuil|ophaaldienst|vuilnis|afval)",
    r"(?:grofvuil|matras|vuilniszak\w*|kliko|afval) " + _gap(4) + r"op straat",
    r"nergens heen zonder",
    r"naar huis in het donker",
    r"bedreigde? (?:dier\w*|soort\w*|vogel\w*)",
    r"threatened (?:species|our picnic)",
]

_PATTERNS: list[tuple[Level, Theme, str]] = [
    # --- crisis / health: ending one's life, said directly or not ---------------------
    (Level.CRISIS, Theme.HEALTH, r"zelfmoord\w*|zelfdoding|suic\w+|suïc\w+|van kant"),
    (
        Level.CRISIS,
        Theme.HEALTH,
        r"(?:eind|einde|punt) "
        + _gap(3)
        + r"(?:aan|achter) "
        + _gap(2)
        + r"(?:leven|maken|zetten)",
    ),
    (
        Level.CRISIS,
        Theme.HEALTH,
        r"(?:leven|mezelf|zichzelf) "
        + _gap(2)
        + r"(?:beeindigen|beroven|van het leven)|van het leven (?:te )?beroven",
    ),
    (
        Level.CRISIS,
        Theme.HEALTH,
        r"(?:pillen|pilletjes|tabletten|medicijnen|medicatie|"
        r"slaappillen|slaapmiddel\w*|oxazepam|temazepam) "
        + _gap(4)
        + r"(?:sparen|spaar|gespaard|op te sparen|opsparen|verzamel\w*|verstopt|innemen|ingenomen|"
        r"in te nemen|slikken|geslikt)",
    ),
    (
        Level.CRISIS,
        Theme.HEALTH,
        r"(?:spaar|sparen|verzamel\w*|voorraad) "
        + _gap(4)
        + r"(?:pillen|tabletten|medicijnen|slaappillen|medicatie)",
    ),
    (Level.CRISIS, Theme.HEALTH, r"overdosis|overdose|too many (?:pills|tablets)"),
    (
        Level.CRISIS,
        Theme.HEALTH,
        r"(?:balkon|flat|dak|brug|trein|spoor|raam|metro|galerij) "
        + _gap(5)
        + r"(?:springen|spring|sprong|gesprongen)|"
        r"(?:springen|spring|sprong) " + _gap(4) + r"(?:balkon|flat|dak|brug|trein|spoor|raam)",
    ),
    (Level.CRISIS, Theme.HEALTH, r"(?:naar|bij|op) het spoor " + _gap(3) + r"(?:sta|staan|loop)"),
    (
        Level.CRISIS,
        Theme.HEALTH,
        r"(?:nooit|niet) meer wakker|voor altijd "
        + _gap(2)
        + r"slapen|slapen "
        + _gap(2)
        + r"nooit meer",
    ),
    (Level.CRISIS, Theme.HEALTH, r"(?:als ik|dat ik) morgen niet (?:meer )?wakker"),
    (
        Level.CRISIS,
        Theme.HEALTH,
        r"beter af " + _gap(2) + r"(?:zonder (?:mij|me)|als ik)|"
        r"(?:beter|fijner) "
        + _gap(3)
        + r"als ik "
        + _gap(2)
        + r"(?:er niet|weg ben|dood|verdwijn)",
    ),
    (
        Level.CRISIS,
        Theme.HEALTH,
        r"niemand (?:zou|zal) " + _gap(4) + r"(?:missen|merken)|"
        r"(?:last|blok aan het been) voor iedereen",
    ),
    (
        Level.CRISIS,
        Theme.HEALTH,
        r"(?:snijdt|snijden|snij|sneed|krast|kras|krassen|bonkt) "
        + _gap(3)
        + r"(?:zichzelf|mezelf|haarzelf|hemzelf|zich|in (?:haar|zijn|mijn) "
        r"(?:arm|armen|been|benen|polsen))|sneetjes|zelfbeschadig\w*|"
        r"polsen (?:door\w*|snijden|snij\w*)",
    ),
    (
        Level.CRISIS,
        Theme.HEALTH,
        r"(?:zichzelf|mezelf|haarzelf|hemzelf) "
        + _gap(2)
        + r"(?:pijn (?:doe|doet|doen)|beschadig\w*|verwond\w*|iets aan|wat aan)",
    ),
    (
        Level.CRISIS,
        Theme.HEALTH,
        r"(?:wil|wilt|wilde|willen|will) "
        + _gap(2)
        + r"(?:dood|doodgaan|sterven)(?! van)|dood (?:wil|wilde|willen)\b",
    ),
    (
        Level.CRISIS,
        Theme.HEALTH,
        r"(?:niet|nie) meer (?:\w+ )?(?:leven|bestaan|zijn)\b|"
        r"(?:geen|niet) " + _gap(2) + r"(?:zin|reden) " + _gap(3) + r"(?:leven|te leven)|"
        r"(?:wil|wilt|willen) (?:er |der )?(?:niet|nie) meer\b",
    ),
    (
        Level.CRISIS,
        Theme.HEALTH,
        r"hoeft " + _gap(3) + r"(?:allemaal )?niet meer|"
        r"(?:leven|alles) "
        + _gap(2)
        + r"zat\b|klaar "
        + _gap(3)
        + r"(?:met )?(?:het leven|alles)|"
        r"het leven " + _gap(3) + r"(?:zinloos|geen zin)|waarom ik nog leef",
    ),
    (
        Level.CRISIS,
        Theme.HEALTH,
        r"(?:er ?uit|eruit) (?:te )?stappen|weg van de wereld|"
        r"afscheidsbrie\w*|(?:mezelf|zichzelf|me) (?:\w+ ){0,2}ophangen|touw gekocht|(?:mes|"
        r"messen) " + _gap(2) + r"klaar",
    ),
    (
        Level.CRISIS,
        Theme.HEALTH,
        r"end (?:\w+ ){0,2}life|ending it|end it all|"
        r"kill (?:my|him|her)sel(?:f|ves)|hurt myself|harm myself|self ?harm|want to die|"
        r"(?:no )?(?:point|reason) (?:in )?(?:living|to live)|(?:don ?t|do not) want to "
        r"(?:live|be here)|done with (?:life|it all)|goodbye letters?|bought a rope|"
        r"hang myself|not exist|never wake up|better off (?:without me|if i|dead)|"
        r"(?:saving|stockpil\w*|hoard\w*|collect\w*) (?:\w+ ){0,3}(?:pills|tablets|meds)|"
        r"jump\w* (?:\w+ ){0,3}(?:balcony|bridge|roof|building|train)|balcony (?:\w+ ){0,5}jump|"
        r"front of a train|cut\w* (?:herself|himself|myself|(?:her|his|my) arms)|"
        r"disappear\w* for good|how i would do it|going to hurt myself",
    ),
    # --- crisis / safety: violence, abuse, threats ---------------------------------------
    (
        Level.CRISIS,
        Theme.SAFETY,
        r"(?:slaat|sloeg|sloegen|slaan|slag|mishandelt|mishandeld) "
        + _gap(2)
        + OBJ
        + r"\b|(?:me|mij|haar|hem|wordt|word|werd|worden) "
        + _gap(4)
        + r"(?:geslagen|geslage|mishandeld|in elkaar geslagen)|"
        + KID
        + r" "
        + _gap(1)
        + r"slaan",
    ),
    (
        Level.CRISIS,
        Theme.SAFETY,
        r"(?:mijn|je|haar|zijn|m'?n|onze|de) "
        + PARTNER
        + r" "
        + _gap(2)
        + r"(?:slaat|sloeg|schopt|schopte|trapt|trapte|mishandelt|wurgt|dwingt (?:me|mij|haar))\b|"
        r"gedwongen (?:huwelijk|te trouwen)|uithuwelijk\w*|(?:moet|moeten) trouwen "
        + _gap(4)
        + r"(?:niet wil|dwing\w*)|(?:familie|ouders|vader|man) "
        + _gap(2)
        + r"dwing\w* (?:me|mij)",
    ),
    (
        Level.CRISIS,
        Theme.SAFETY,
        r"(?:schopt|schopte|schoppen|trapt|trapte|getrapt) "
        + _gap(3)
        + r"(?:me|mij|haar|hem|ons)\b|(?:me|mij|haar|hem|ons) "
        + _gap(3)
        + r"(?:geschopt|getrapt)",
    ),
    (
        Level.CRISIS,
        Theme.SAFETY,
        r"(?:keel|nek|hals) "
        + _gap(3)
        + r"(?:gegrepen|greep|grijpt|dichtgeknepen|dicht|knijpt|kneep|vastgepakt|beetgepakt)|"
        r"(?:grijpt|greep|gegrepen|knijpt|kneep|pakt|pakte) " + _gap(4) + r"(?:keel|nek|hals)|"
        r"gewurgd|wurg\w*|verstik\w*",
    ),
    (
        Level.CRISIS,
        Theme.SAFETY,
        r"betast\w*|aangerand|aanrand\w*|verkracht\w*|misbruik\w*|"
        r"(?:zit|zat|zitten|gezeten) aan (?:me|mij|haar|hem|mijn " + KID + r"|" + KID + r")|"
        r"aan (?:me|mij|haar|hem) "
        + _gap(1)
        + r"gezeten|dwingt "
        + _gap(3)
        + r"(?:seks|trouwen)|naaktfoto\w*",
    ),
    (
        Level.CRISIS,
        Theme.SAFETY,
        r"(?:stiefvader|stiefpa|oom|opa|vriend van mijn moeder) "
        + _gap(6)
        + r"(?:kamer|bed|dingen|aanraakt|aan zit)|'?s nachts "
        + _gap(3)
        + r"(?:op haar kamer|op zijn kamer|in haar bed)",
    ),
    (
        Level.CRISIS,
        Theme.SAFETY,
        r"bang "
        + _gap(4)
        + r"(?:iets|wat) "
        + _gap(2)
        + r"(?:doet|gaat doen|aandoet|aan gaat doen|aan doet)|bang voor wat "
        + _gap(3)
        + r"(?:gaat doen|doet)|(?:doet|doen) "
        + _gap(1)
        + r"(?:me|mij|haar) (?:wat|iets)|"
        r"(?:me|mij|haar|ons) (?:wat|iets) (?:aan (?:te |gaat )?doen|aandoen|aandoet)",
    ),
    (
        Level.CRISIS,
        Theme.SAFETY,
        r"(?:dreig\w*|bedreig\w*|zwaait|zwaaide|zwaaien) "
        + _gap(5)
        + r"(?:mes|pistool|wapen)|(?:mes|pistool|wapen) "
        + _gap(5)
        + r"(?:bedreig\w*|dreig\w*|gebruiken)|(?:me|mij|haar|hem) (?:\w+ ){0,3}(?:gestoken|"
        r"neergestoken)|neergestoken|steekt (?:me|mij)",
    ),
    (
        Level.CRISIS,
        Theme.SAFETY,
        r"vermoord\w*|dood ?maakt|dood te maken|(?:me|mij|haar|hem|ons) te doden|"
        r"dreig\w* "
        + _gap(6)
        + r"(?:aan te doen|pijn|vermoorden|doden|dood|mee te nemen|in brand)",
    ),
    (
        Level.CRISIS,
        Theme.SAFETY,
        r"blauwe plekken|blauw oog|brandwond\w*|(?:me|mij|ik|haar|wordt|"
        r"word) (?:\w+ ){0,3}opgesloten|"
        r"sluit (?:me|mij|haar|ons|de kinderen) (?:\w+ ){0,2}op\b|vastgebonden|te grazen|"
        r"(?:me|mij|haar) " + _gap(3) + r"(?:geduwd|afgeduwd)|(?:duwt|duwde) (?:me|mij|haar)\b|"
        r"(?:me|mij|haar|ons) pijn (?:doet|doen|deed|gedaan)\b",
    ),
    (
        Level.CRISIS,
        Theme.SAFETY,
        r"huiselijk geweld|geweld (?:thuis|in huis)|"
        r"(?:niet|on)veilig thuis|durf (?:ik )?niet (?:meer )?naar huis|"
        r"(?:doods)?bang voor (?:mijn |haar |zijn |m'?n )" + PARTNER + r"\b|"
        r"stalk\w*|volgt (?:me|mij) overal|achtervolg\w*",
    ),
    (
        Level.CRISIS,
        Theme.SAFETY,
        r"(?:kick\w*|punch\w*|slap\w*|hit|hits|hitting|beat|beats|"
        r"beaten|beating|chok\w*|strangl\w*) (?:\w+ ){0,2}(?:me|her|him|us|their (?:kid|child|"
        r"son|daughter))\b|(?:gets|got|was|were|being) (?:\w+ ){0,2}(?:beaten|hit|kicked|abused)|"
        r"(?:grabbed|grabs) (?:\w+ ){0,3}(?:throat|neck)|hands? (?:around|round) (?:my|her) "
        r"(?:neck|throat)|push\w* (?:me|her) (?:down|over)|touch\w* (?:my|her|his) "
        r"(?:daughter|son|sister|brother|kid|child|little)|"
        r"(?:stepfather|stepdad|uncle) (?:\w+ ){0,6}"
        r"(?:touch\w*|room at night|does things)|(?:scared|afraid|terrified|fear) (?:\w+ ){0,3}"
        r"(?:he|she)(?: ll| will| would)? (?:\w+ ){0,2}(?:do something|hurt|kill)|"
        r"(?:hurt|kill) (?:me|her|us) if|threaten\w* (?:\w+ ){0,3}(?:knife|gun)|"
        r"(?:will|going to|gonna) kill me|assault\w*|raped?|forces? me (?:\w+ ){0,2}sex|"
        r"bruises|(?:keeps?|always|is) following me|follows me (?:everywhere|home)|locked me|"
        r"domestic (?:violence|abuse)|abus(?:e|ed|ive|ing)\b|"
        r"not safe at home|"
        r"(?:afraid|scared) of my (?:husband|wife|partner|boyfriend|ex|dad|father)",
    ),
    # --- professional / money ------------------------------------------------------------
    (
        Level.PROFESSIONAL,
        Theme.MONEY,
        r"schulden|schuld bij|(?!onschuld)\w+schuld\b|schuldhulp\w*|"
        r"schuldsaner\w*|schuldeiser\w*|wsnp|deurwaarder\w*|incasso\w*|aanmaning\w*|dwangbevel\w*|"
        r"beslag " + _gap(3) + r"(?:gelegd|op)|in beslag|beslaglegging|loonbeslag|dagvaard\w*|"
        r"betalingsregeling\w*|(?:huur|hypotheek|betalings|premie|energie)\w*achterstand\w*|"
        r"achterstand\w* (?:\w+ ){0,3}(?:huur|hypotheek|betal\w*|premie|rekening\w*)|"
        r"wanbetaler|bewindvoer\w*|beschermingsbewind|cjib",
    ),
    (
        Level.PROFESSIONAL,
        Theme.MONEY,
        r"achter (?:\w+ )?met (?:de |mijn |onze )?"
        r"(?:huur|hypotheek|betal\w*|premie)|(?:sta|staan|staat) "
        + _gap(3)
        + r"rood|rood (?:bij|staan)|"
        r"toeslag\w* " + _gap(4) + r"terug\w*|terug ?(?:te )?betalen " + _gap(3) + r"toeslag|"
        r"terugbetal\w* " + _gap(3) + r"(?:toeslag|uwv|bijstand|gemeente)|terugvorder\w*|"
        r"vordert " + _gap(3) + r"terug|(?:\w+toeslag|toeslagen) " + _gap(3) + r"terug",
    ),
    (
        Level.PROFESSIONAL,
        Theme.MONEY,
        r"(?:rekening|rekeningen|energierekening|huur|zorgpremie|"
        r"zorgverzekering|premie|hypotheek|boete|eigen bijdrage|lasten) "
        + _gap(4)
        + r"(?:niet|nie) "
        + _gap(2)
        + r"(?:betalen|betaald|opbrengen|meer)|(?:niet|nooit) "
        + _gap(1)
        + r"betaald|"
        r"(?:kan|kunnen|lukt) " + _gap(4) + r"niet (?:meer )?(?:betalen|opbrengen)|"
        r"(?:niet|nie) (?:meer )?rond ?(?:komen|krijgen)|krijgen het niet (?:meer )?rond|"
        r"(?:komen|kom) " + _gap(3) + r"tekort|rondkomen",
    ),
    (
        Level.PROFESSIONAL,
        Theme.MONEY,
        r"(?:gas|stroom|energie|water|licht) "
        + _gap(3)
        + r"(?:afgesloten|af (?:te )?sluiten|afsluiten) "
        + _gap(3)
        + r"(?:als|omdat|betaal|niet)|"
        r"(?:dreig\w*|binnenkort|wordt|worden) " + _gap(2) + r"(?:de |het |ons )?"
        r"(?:gas|stroom|energie|water) " + _gap(2) + r"(?:afgesloten|af te sluiten|afsluiten)|"
        r"afgesloten van " + _gap(1) + r"(?:gas|stroom|energie)",
    ),
    (
        Level.PROFESSIONAL,
        Theme.MONEY,
        r"(?:uitkering|bijstand|wajong|ww) "
        + _gap(3)
        + r"(?:stopgezet|gestopt|ingehouden|terug)|geen inkomen|lening\w* "
        + _gap(3)
        + r"(?:lopen|afgesloten|af te lossen|terug)|gokt|gokken|gokverslav\w*|voedselbank\w*|"
        r"voedselpakket\w*|(?:niks|niets|geen geld) (?:meer )?(?:om |voor )?(?:te )?"
        r"(?:eten|boodschappen)|geen geld (?:meer )?voor (?:eten|boodschappen|de huur)",
    ),
    (
        Level.PROFESSIONAL,
        Theme.MONEY,
        r"(?:meubels|inboedel|spullen|auto) "
        + _gap(4)
        + r"(?:ophalen|in beslag|meenemen)|enveloppen "
        + _gap(3)
        + r"niet|post "
        + _gap(3)
        + r"niet (?:meer )?open|rekeningen stapelen|(?:rekening|pinpas) "
        + _gap(2)
        + r"(?:geblokkeerd|opgezegd)|opgelicht|oplicht\w*|spaargeld "
        + _gap(4)
        + r"overgemaakt|"
        r"(?:pinpas|rekening|spaargeld) " + _gap(6) + r"(?:geld (?:op)?neemt|geld opnemen|"
        r"geld van|haalt|opneemt)|haalt "
        + _gap(3)
        + r"geld "
        + _gap(3)
        + r"(?:rekening|pinpas)|geld "
        + _gap(2)
        + r"van "
        + _gap(3)
        + r"rekening|creditcard "
        + _gap(3)
        + r"vol|(?:lening|leningen|dingen gekocht|schulden|rekeningen) "
        + _gap(3)
        + r"op (?:mijn|onze) naam|(?:geld geleend|geleend) "
        + _gap(3)
        + r"(?:verkeerde|terug)|"
        r"(?:voor|naar) de rechter "
        + _gap(3)
        + r"(?:omdat|voor|betalen)|rechter "
        + _gap(4)
        + r"(?:betalen|euro)",
    ),
    (
        Level.PROFESSIONAL,
        Theme.MONEY,
        r"\bdebts?\b|bailiff\w*|debt collector\w*|arrears|"
        r"overdrawn|overdraft|loan shark|garnish\w*|enforcement order|food bank|foodbank|"
        r"(?:behind|late) (?:\w+ ){0,2}(?:on|with) (?:the |my |our )?(?:rent|mortgage|payments?)|"
        r"(?:can ?t|cannot|can not) (?:\w+ ){0,2}pay (?:the |my |our )?(?:rent|bills?|"
        r"mortgage|energy|debts?)|(?:can ?t|cannot) afford (?:food|rent|the rent|groceries|"
        r"to eat)|make (?:the )?(?:mortgage|rent|ends meet)|pay (?:\w+ ){0,3}back "
        r"(?:\w+ ){0,3}(?:benefit|allowance)|(?:benefit|allowance)\w* (?:\w+ ){0,3}back|"
        r"payment plan|unpaid (?:bills|health)|court (?:\w+ ){0,3}unpaid|maxed out|owe "
        r"(?:thousands|a lot)|taking money from|benefits? (?:\w+ ){0,2}stopped|no income|"
        r"gambl\w*|(?:take|taking) my furniture|nothing to eat|cut us off|mortgage payments",
    ),
    # --- professional / housing ----------------------------------------------------------
    (
        Level.PROFESSIONAL,
        Theme.HOUSING,
        r"op straat "
        + _gap(2)
        + r"(?:zetten|zet|gezet|gooien|staan|te staan|komen|leef|leven|slaap|slapen)|"
        r"(?:zet|zetten|zette|gezet) " + _gap(4) + r"op straat|sta " + _gap(3) + r"op straat",
    ),
    (
        Level.PROFESSIONAL,
        Theme.HOUSING,
        r"huisuitzetting\w*|uitzetting\w*|ontruim\w*|"
        r"dakloos\w*|daklozen\w*|huis ?uit ?gezet|uit (?:\w+ )?(?:huis|woning|kamer) "
        + _gap(1)
        + r"gezet|(?:we|wij|ik|ze) "
        + _gap(2)
        + r"(?:worden|word|wordt) "
        + _gap(2)
        + r"uitgezet|"
        r"geen " + _gap(2) + r"(?:dak|woonplek|slaapplek|woning|plek om te (?:wonen|slapen)|"
        r"huis meer)|(?:kan|kunnen|weet|weten) "
        + _gap(3)
        + r"nergens "
        + _gap(1)
        + r"(?:heen|terecht|slapen|wonen)|niet waar we heen moeten|nergens (?:een )?slaapplek",
    ),
    (
        Level.PROFESSIONAL,
        Theme.HOUSING,
        r"slaap " + _gap(4) + r"(?:in mijn auto|in de auto|"
        r"buiten|op de bank bij)|slaapt buiten|thuis weggelopen|moet(?:en)? "
        + _gap(3)
        + r"(?:het huis uit|eruit|er uit|vertrekken)|(?:huur|huurcontract) "
        + _gap(2)
        + r"opgezegd|sloten "
        + _gap(2)
        + r"veranderd|onbewoonbaar|huisjesmelker|"
        r"eruit (?:te )?(?:gooien|zetten)|eruit hebben|(?:huis|woning) (?:\w+ )?kwijt|"
        r"spullen buiten|geen vaste woonplek",
    ),
    (
        Level.PROFESSIONAL,
        Theme.HOUSING,
        r"evict\w*|homeless\w*|nowhere to (?:live|sleep|go)|"
        r"(?:throw|kick|put)\w* (?:\w+ ){0,2}out "
        r"(?:on the street|of (?:my|our|the) (?:home|house))|"
        r"(?:live|living|sleep\w*|end up|be|put|throw\w*) (?:\w+ ){0,2}on the street|"
        r"sleeping in (?:my|the) car|wants? (?:us|me) out|changed the locks|"
        r"lose (?:our|my) (?:home|house)",
    ),
    # --- professional / health -----------------------------------------------------------
    (
        Level.PROFESSIONAL,
        Theme.HEALTH,
        r"verslaaf\w*|verslaving\w*|\bdrugs\b|blowt|cocaine|"
        r"heroine|(?:aan|van) de drank|drankprobleem|drinkt "
        + _gap(4)
        + r"(?:fles|elke dag|te veel|teveel|tot)|"
        r"drink "
        + _gap(3)
        + r"tot ik|dement\w*|(?:is|wordt|raakt|steeds|heel|erg|zo) (?:\w+ )?verward|"
        r"verwarder|herkent " + _gap(2) + r"niet meer|"
        r"(?:hoort|horen) stemmen|psychose\w*|psychotisch|depress\w*|(?:voel|ben|"
        r"zo) (?:\w+ ){0,3}somber|paniekaanval\w*|"
        r"eet "
        + _gap(1)
        + r"(?:niks|niets) meer|opgebrand|burn ?out|(?:te veel|teveel|verslaafd aan|"
        r"stoppen met) pijnstillers|"
        r"(?:kan|kunnen) " + _gap(5) + r"niet meer aan|verwaarloos\w*|bed niet (?:meer )?uit|"
        r"dag niet (?:meer )?door|zit " + _gap(3) + r"diep",
    ),
    (
        Level.PROFESSIONAL,
        Theme.HEALTH,
        r"addict\w*|bottle of vodka|drinks (?:\w+ ){0,3}(?:every day|a lot|"
        r"bottle)|uses drugs|\bdrugs\b|dementia|(?:more|very|so|gets) confused|hears voices|"
        r"depress\w*|(?:been|feel|feeling) so low|"
        r"can ?t cope|can ?t stop taking|(?:can ?t|cannot) get out of bed",
    ),
    (
        Level.PROFESSIONAL,
        Theme.SAFETY,
        r"uitgebuit|uitbuit\w*|slecht behandeld|honger hebben|"
        r"hebben honger|gepest " + _gap(3) + r"(?:uitgescholden|werk)",
    ),
    # --- uncertain: ask the resident ------------------------------------------------------
    (
        Level.UNCERTAIN,
        Theme.MONEY,
        r"krap|financieel " + _gap(2) + r"(?:moeilijk|lastig|zwaar)|"
        r"moeite "
        + _gap(2)
        + r"rond|toeslag\w*|belastingdienst|brief "
        + _gap(3)
        + r"(?:cjib|deurwaarder|incasso|belastingdienst|uwv)|administratie|"
        r"money is (?:\w+ )?tight|"
        r"tax office|paperwork",
    ),
    (
        Level.UNCERTAIN,
        Theme.HOUSING,
        r"urgentie|schimmel|huur " + _gap(3) + r"verhog\w*|"
        r"huurcontract|moet " + _gap(2) + r"verhuizen|mould|rental contract",
    ),
    (
        Level.UNCERTAIN,
        Theme.HEALTH,
        r"(?:voel|ben|zo|feel|feeling|been) (?:me )?(?:\w+ )?down|pieker\w*|verdrietig|"
        r"(?:heb het|valt me|voel me) "
        + _gap(2)
        + r"zwaar|niet lekker in mijn vel|vergeet "
        + _gap(2)
        + r"meer|"
        r"drinkt "
        + _gap(3)
        + r"(?:veel|wat veel)|praat niet meer|forgetful|feeling (?:\w+ )?down|"
        r"been hard since",
    ),
    (
        Level.UNCERTAIN,
        Theme.SAFETY,
        r"ruzie " + _gap(3) + r"(?:nacht|avond|geschreeuw)|"
        r"geschreeuw|schreeuwt|harde klappen|niet (?:prettig|veilig)|berichten "
        + _gap(3)
        + r"(?:niet wil|sturen)|shout\w*|bangs|keeps texting",
    ),
    (
        Level.UNCERTAIN,
        Theme.LONELINESS,
        r"zie " + _gap(3) + r"niemand|niemand belt|"
        r"vergeten voel|voel me vergeten|deur (?:bijna )?niet (?:meer )?uit|zo alleen|"
        r"don ?t see anyone|nobody (?:ever )?calls",
    ),
    (
        Level.UNCERTAIN,
        Theme.OTHER,
        r"weet het (?:even |echt |allemaal )?niet meer(?: wat| hoe| $)|over de schoenen|"
        r"heb het (?:\w+ ){0,2}zwaar|zit (?:er )?(?:\w+ )?doorheen|"
        r"niet (?:zo )?goed met me|zie er tegenop|als steun|not doing (?:so )?well|"
        r"on top of me|don ?t know what to do",
    ),
]

_NEGATION = re.compile(r"(?:geen|nooit|no|never|without|zonder|niet meer) (?:\w+ ){0,1}$")


class Patterns:
    """The compiled patterns: the heaviest match wins; negation softens professional ones."""

    def __init__(self) -> None:
        self._not = re.compile(r"(?<!\w)(?:" + "|".join(_NOT) + r")(?!\w)")
        self._patterns = [
            (level, theme, re.compile(r"(?<!\w)(?:" + pattern + r")(?!\w)"))
            for level, theme, pattern in _PATTERNS
        ]

    def assess(self, normalised: str) -> Sensitivity:
        """Level and theme of an already normalised text (see classifier.normalise)."""
        text = " " + self._not.sub(" ", normalised) + " "
        best = Sensitivity()
        for level, theme, pattern in self._patterns:
            if level.rank <= best.level.rank:
                continue
            for match in pattern.finditer(text):
                found = level
                if level is Level.PROFESSIONAL and _NEGATION.search(text[: match.start()]):
                    found = Level.UNCERTAIN
                if found.rank > best.level.rank:
                    best = Sensitivity(level=found, theme=theme)
                if found is level:
                    break
        return best


@cache
def default_patterns() -> Patterns:
    """The patterns, compiled once."""
    return Patterns()
