"""Word lists for :mod:`assistant.safety_filter.defeat_rules`, written against folded text
(:func:`knowledge_base.normalise.fold`: lower case, no accents, no hyphens
inside words, so "E-Stop" is "estop" and "cut-out" is "cutout").

Three kinds of action, three kinds of object:

* ``STRONG`` actions defeat whatever safety device they touch: bridge,
  jumper, bypass, override, tape down, a magnet on, tie back, wedge ...
* ``WEAK`` actions are also everyday maintenance (remove, disconnect,
  switch off): they defeat a *protective function* (interlock, e-stop
  circuit, overload protection, safety relay ...) unless the sentence is
  about replacing or refitting it, and a *physical guard* only when the
  machine is to run that way ("... so the pump restarts with the guard open");
* ``RAISE`` actions defeat a rating (a bigger fuse, an overload or relief
  setting above its rating).

Objects: ``FUNCTION`` (protective functions), ``BROAD`` (sensors, switches,
trips: safety objects for strong actions only), ``GUARD`` (physical guards,
relief valves ...), ``PLAIN`` (doors, covers: only with running context),
``RATED`` (fuses, overload and relief settings).
A relay or terminal designation (K7, S4, X2:3) counts as a safety object
only when the sentence ties it to a guard, door or safety purpose.

German, French, Spanish and Chinese get small lists of the same kinds
(``OTHER``); those are checked by co-occurrence in a sentence, without the
English word-order rules.
"""

from __future__ import annotations

STRONG = (
    r"by ?pass(?:es|ing)?|bridg(?:e|es|ing)(?! rectifier)|jumper(?:s|ing)?|jump(?:ing)? (?:out|across|over)|jump"
    r"|link(?:ing)? (?:out|across|over)|(?:wire|cable) (?:link|bridge|jumper|strap)s?|link (?:wire|cable)"
    r"|wir(?:e|ing) (?:out|across|round|around|over)|lock(?:ing)? (?:\w+ ){0,4}?solid|short(?:ing)? ?out|short(?:ing)? (?:across|the|it|them|its|pins?|terminals?|contacts?|wires?|leads?)|short ?circuit(?:ing)? (?:the|it|them|its|across)|strap(?:ping)? (?:out|across)"
    r"|defeat(?:s|ing)?|overrid(?:e|es|ing)|cheat(?:s|ing)?|fool(?:s|ing)?|trick(?:s|ing)?|spoof(?:s|ing)?"
    r"|disabl(?:e|es|ing)|deactivat(?:e|es|ing)|inhibit(?:s|ing)?|suppress(?:es|ing)?|mask(?:s|ing)? (?:out|off)?"
    r"|mut(?:e|es)|silenc(?:e|es|ing) (?:the )?(?:interlock|safety|estop)|neutrali[sz](?:e|es|ing)|nullif(?:y|ies|ying)"
    r"|tap(?:e|es|ing)(?: (?:over|down|up|back|shut|closed|in))?|(?:cable|zip) ?ti(?:e|es|ing)|ty(?:e|es|ing) (?:back|down|up|open|shut)"
    r"|ti(?:e|es)|tying|wedg(?:e|es|ing)|prop(?:s|ping)? (?:open|up)|jam(?:s|ming)?"
    r"|(?:hold|holding|keep|keeping|pin|pinning|weight|weighting|clamp|clamping|block|blocking) (?:\w+ ){0,4}?(?:open|in|down|closed|shut|made|released|energi[sz]ed)"
    r"|magnets?|glu(?:e|es|ing)|forc(?:e|es|ing) (?:on|closed|made|high|the|it|them|an?)\b|simulat(?:e|es|ing) (?:a |the )?(?:closed|made|healthy)"
    r"|plug(?:s|ging)? (?:up|off)|blank(?:s|ing)? off|gag(?:s|ging)?|cap(?:s|ping)? off|screw(?:ing)? (?:down|in) fully"
    r"|tamper(?:s|ing)? with|manipulat(?:e|es|ing)|cut(?:ting)? out|ignor(?:e|es|ing)|take (?:\w+ ){0,5}?out of (?:the )?(?:\w+ )?(?:circuit|loop)"
    r"|hot ?wir(?:e|es|ing)|link(?:s|ing)?|throw(?:ing)? a (?:link|jumper|bridge)|twist (?:them|the \w+) together|join (?:them|the \w+)"
    r"|(?:piece of )?(?:copper |silver |tin ?)?(?:wire|foil|nail|bolt|coin|paper ?clip) (?:in|into|across) (?:the )?fuse|resistor across"
    r"|(?:stick|insert|slide|push|jam|put|fit|place)(?:s|ing)? (?:\w+ ){0,4}?(?:card|paper|screwdriver|spare (?:key|actuator|tongue)|actuator|tongue|foam|shim)s?\b"
    r"|(?:convinc|persuad)(?:e|es|ing)|fak(?:e|es|ing) (?:out )?|shunt(?:s|ing)?(?! trip)|kill(?:s|ing)?|knock(?:ing)? out|circumvent(?:s|ing)?"
    r"|get(?:ting)? (?:a)?round|work(?:ing)? (?:a)?round|sidestep(?:s|ping)?|disarm(?:s|ing)?|loop(?:ing)? (?:out|across)|hard ?wir(?:e|es|ing)"
    r"|permanently (?:energi[sz]e|close|make|link|bridge|connect)|desensiti[sz](?:e|ing)|chock(?:s|ing)?|bungee|rubber band|stuff(?:ing)?"
    r"|take (?:\w+ ){0,3}?out of service|put (?:\w+ ){0,4}?(?:in|into) (?:bypass|override|maintenance|simulation|test|forced?) mode|set (?:\w+ ){0,3}?to (?:bypass|override)"
    r"|sling|gag(?:s|ging)?|put (?:a |the )?(?:spare )?(?:tongue|actuator|key|bolt|resistor)|(?:a |the )?(?:spare )?(?:tongue|actuator) in"
)
# Past participles: advice when kept that way ("leave it bypassed", "with the guard bridged"),
# a description after was/were/had/found (see defeat_rules).
PARTICIPLE = (
    r"taken out of (?:the )?(?:\w+ )?(?:circuit|loop)|(?:looped|strapped|wired|jumpered|bridged) out|by ?passed|bridged|jumpered|jumped out|linked out|shorted(?: out)?|defeated|overridden|overrode|cheated"
    r"|disabled|deactivated|inhibited|muted|taped(?: down| over| up)?|tied (?:back|down|up|open)|wedged|propped open"
    r"|forced|held (?:in|down|closed|open)|cable ?tied(?: closed| open)?|pinned|magneted|neutrali[sz]ed|tampered with|manipulated|ignored"
)
# Participles of everyday verbs: advice only when kept that way ("can stay removed", "left disconnected").
WEAK_PARTICIPLE = r"released|disconnected|removed|switched off|turned off|taken out|cut off|unplugged|isolated"
WEAK_KEPT = r"\b(?:can|may|could|should|might) (?:\w+ )?(?:be|stay|remain)|\b(?:stay|stays|remain|remains|left|leave|keep|kept|usually|normally|just)\b"
WEAK = (
    r"unhook(?:s|ing)?|pop(?:s|ping)? (?:\w+ ){0,4}?(?:off|out)|clip(?:s|ping)? (?:\w+ ){0,4}?out|remov(?:e|es|ing)|take (?:\w+ )?(?:off|out|away)|pull(?:s|ing)?(?! ?(?:cords?|wires?|ropes?)\b) (?:\w+ )?(?:out|off)?|pull(?! ?(?:cords?|wires?|ropes?)\b)|unplug(?:s|ging)?"
    r"|disconnect(?:s|ing)?|unwir(?:e|ing)|cut(?:s|ting)? (?:the )?(?:wires?|cables?|leads?)|cut"
    r"|switch(?:es|ing)? (?:\w+ ){0,3}?off|turn(?:s|ing)? (?:\w+ ){0,3}?off|shut(?:ting)? (?:\w+ ){0,3}?off"
    r"|switch off|turn off|power down|isolat(?:e|ing)|dismantl(?:e|ing)|unscrew|detach|omit|skip|leave (?:\w+ ){0,2}?(?:off|out|open)"
)
RAISE = (
    r"teach(?:ing)?|reduc(?:e|ing)|shrink(?:ing)?|shorten(?:ing)?|wind(?:ing)?|turn(?:ing)?|crank(?:ing)?|rais(?:e|es|ing)|increas(?:e|es|ing)|turn(?:ing)? up|wind(?:ing)? up|crank(?:ing)? up|max(?:imise|imize)? out"
    r"|set(?:ting)?|adjust(?:ing)?|uprat(?:e|ing)|overs(?:ize|ise)|ups(?:ize|ise)|fit(?:ting)?|replac(?:e|ing)|us(?:e|ing)"
    r"|replaced|swap(?:ping)?|put(?:ting)? in|screw(?:ing)?|tighten(?:ing)?|wind(?:ing)? (?:in|down)|bump(?:ing)? up|push(?:ing)? up"
)
FUNCTION = (
    r"interlock(?:s|ing)?(?: (?:switch|relay|circuit|contact|key|system)s?)?"
    r"|safety (?:switch|relay|circuit|chain|loop|function|device|system|controller|plc|contactor|sensor|edge|mat|scanner"
    r"|input|output|stop|interlock|gate|contact|bumper|module|door|light|feature|cutout|limit)s?"
    r"|estops?(?: (?:button|circuit|chain|loop|relay|switch|line|pull ?cord)s?)?|emergency (?:stop|off|halt)s?(?: (?:button|circuit|chain|loop|relay|switch)s?)?"
    r"|pull ?cord (?:switch|stop)s?|stop cord|(?:light|laser|area|safety) (?:curtain|grid|scanner|barrier|beam)s?|presence sensing|photo ?electric guard"
    r"|two ?hand(?:ed)? (?:control|button|start|station|operation)s?|overload(?:s)?(?: (?:protection|relay|trip|protector|device|setting|switch))?"
    r"|overcurrent(?: (?:protection|relay|trip))?|motor protect(?:ion|or)(?: (?:switch|relay|circuit breaker))?|thermal (?:cutout|overload|protector|protection|trip|switch|relay|fuse)s?"
    r"|thermistor (?:protection|relay|trip)|(?:(?:high |low )?(?:pressure|temperature|level|flow|overspeed|overtravel|oil pressure|vibration|speed|temp)) (?:cutout|trip|switch|limit|protection|sensor|guard|monitor)s?"
    r"|cutouts?|limit switch(?:es)?|end ?(?:stop|switch)(?:es|s)?|overtravel(?: (?:limit|switch)s?)?|door (?:switch|interlock|contact|sensor|monitor|lock|limit)(?:es|s)?"
    r"|(?:guard|gate|hood|cover|hatch|fence|lid) (?:switch|interlock|contact|sensor|monitor|lock)(?:es|s)?|doorswitch(?:es)?"
    r"|rcds?|rcbos?|elcbs?|gfcis?|residual current (?:device|breaker|circuit breaker)s?|earth leakage(?: (?:breaker|protection|relay|trip))?|ground fault(?: (?:protection|interrupter))?"
    r"|hold to run|enabling (?:switch|device|button)s?|dead ?man(?:s)?(?: (?:switch|handle|control|pedal))?|brakes?(?: (?:monitor|interlock))?"
    r"|flame (?:failure|detector|sensor|supervision|safeguard)(?: device)?s?|gas detector|smoke detector|protective (?:device|function|circuit|relay)s?"
    r"|speed monitor|standstill monitor|safety|safeties|shutdowns?|limiters?|cut ?offs?|antitwoblock|two ?block|overtemperature|door monitoring|door locks?"
    r"|safety catch|fall arrest|sto|safe torque(?: off)?|safe (?:speed|stop|torque monitoring)|sil ?rated|pull ?(?:wire|rope|cord) switch(?:es)?|rope switch(?:es)?"
    r"|pressuretrol|thermal|ol|prv|seat switch(?:es)?|(?:reed|coded|magnetic|non ?contact) (?:switch|sensor)(?:es|s)?|solenoid (?:lock|interlock)s?|guard locking|trapped keys?"
    r"|interlock keys?|mpcbs?|motor (?:circuit )?breakers?|insulation monitor\w*|(?:contactor )?feedback (?:loop|circuit|contact)s?|edm|monitoring relays?|slip clutch\w*"
    r"|rated capacity (?:limiter|indicator)s?|lmi|(?:overspeed )?governors?|lid (?:lock|switch)(?:es|s)?|presence sensors?|pressure mats?|ptc relays?|safety laser\w*"
    r"|photo ?(?:cell|eye|electric (?:sensor|switch))s?|beam sensors?|light barriers?|protective fields?|(?:high|low) ?temp(?:erature)? (?:limit|cutout|cut off|switch|trip)s?|safe speed(?: limit)?"
    r"|(?:big )?red (?:mushroom|button)|mushroom|leakage (?:breaker|relay)|pressure ?sensitive (?:floor|mat|edge)s?|shear pins?|torque limiters?|fusible links?|fire dampers?|locking pin|thermal protection|tongue|actuator"
    # monitors that guard people rather than machines, and software safety functions
    r"|gas (?:detector|monitor|alarm|sensor|detection)s?|oxygen (?:depletion )?(?:monitor|alarm|sensor)s?|o2 (?:monitor|alarm)s?|sniffers?"
    r"|(?:collision|standstill|zone|force) (?:detection|monitoring|supervision)|(?:area|laser|safety) scanners?|(?:over)?speed sensors?"
)
# Broad words: a safety object only for STRONG actions ("bridge the level sensor").
BROAD = r"(?:safety )?(?:controller|plc|control system|machine|robot|press|hoist|crane|drive)(?= (?:into (?:thinking|believing)|that (?:the|it|there|nobody|no one)))|sensors?|(?<!network )(?<!ethernet )(?<!managed )switch(?:es)?(?! (?:configuration|config|port|vlan))|trips?|protection|monitoring|watchdog|zero speed|(?:high|low) limit|sprinklers?|thermostats?|detectors?"
GUARD = (
    r"guards?(?: doors?)?|safety guard|guarding|fixed guard|coupling guard|belt guard|chain guard|guard (?:cover|panel|plate)s?"
    r"|(?:safety|perimeter|protective) (?:fence|fencing|cover|cage|screen|barrier|door|gate)s?"
    r"|padlocks?|lockout|hasps?|relief valves?|safety valves?|pressure relief(?: valves?| devices?)?|blow ?off valves?|burst(?:ing)? (?:disc|disk)s?|rupture (?:disc|disk)s?|fusible plugs?"
)
# Plain closures: defeated only when the machine is to run that way (see RUNNING).
PLAIN = r"fences?|gates?|access doors?|doors?|hoods?|hatch(?:es)?|lids?|covers?|panels?"
RATED = (
    r"rcds?|rcbos?|elcbs?|fuses?|fusing|circuit breakers?|mcbs?|mccbs?|breakers?|overload(?: (?:relay|setting|trip|protection))?|trip (?:setting|current|point)s?"
    r"|fusibles?|sicherung\w*|relief (?:valve|setting|pressure)s?|safety valves?|set ?point|pressure switch(?:es)?|current limit|torque limit(?:er)?s?|(?:spring|adjuster)"
)
BEYOND = (r"(?:full(?: motor)? speed|unlimited|smaller|shorter|[1-9]\d{2} ?(?:%|percent)|slowest|longest|least sensitive|(?:minimum|lowest) sensitivity|[1-9]\d{2} ?% of|solid|blank|blind|plain|hardened|top setting|right up|(?:much )?headroom|slowest|zero|above|beyond|over|past|higher than|more than|greater than|exceed(?:ing)?|bigger|larger|higher|heavier|maximum|max|fully|all the way|\d+ ?% (?:above|over|higher|more)"
          r"|nail|bolt|wire|foil|coin|paper ?clip|solid link|copper|screw)")
DESIGNATION = r"\b(?:[kqsfbxa]\d{1,3}(?:[.:]\d{1,3})?|x\d{1,2}:\d{1,3}|-?[ksq]\d{1,3})\b"
SAFETY_CONTEXT = (r"\b(?:overtemperature|overtemp|overload|overspeed|overpressure|guard|guards|door|doors|gate|interlock\w*|safety|safe|estop|emergency|light curtain|two ?hand|fence|hatch"
                  r"|cover|hood|lid|protective|protection)\b")
RUNNING = (
    r"\bblank (?:off )?(?:the )?(?:port|outlet|opening|connection|flange)|"
    r"\bso (?:that )?(?:\w+ ){0,5}?(?:never|no longer|(?:can|will) never|cannot|cant|wont|doesnt|does not|stops? \w+ing|keeps? (?:running|firing|turning|going|stroking|working|cycling|heating)"
    r"|always (?:sees?|reads?|agree|agrees|reports?)|can (?:run|go|be opened|reach|travel|start|be raised)|starts? with|runs? with|(?:can )?go(?:es)? (?:beyond|past|all the way)|heats? up faster)"
    r"|\b(?:out of|off) (?:the )?(?:safety )?(?:circuit|loop)|\bcarry on (?:running|working)|\brun (?:it|them) hot|\bduring production|\bregardless of"
    r"|\bforget about it|\bleave (?:it|them) (?:there|released|off|disconnected|open|removed)|\bto avoid stoppages|\bno need to lock|\breach in"
    r"|\bpermanently\b|\bfor (?:the whole|the entire|every) shift|\ball the time|\bfor good\b"
    r"|\bwhile (?:the )?(?:\w+ )?(?:machine|it|line|plant|press|robot|belt|conveyor|lathe|saw|pump) (?:runs|is running|operates|is working)"
    r"|\b(?:stays?|remains?) (?:open|lifted|released|closed|made)|\bstops? less often|\bcant see|\bwithout (?:anyone|anybody|someone) (?:\w+ ){0,2}?(?:sitting|standing|holding)"
    r"|\bstops? (?:nuisance )?(?:tripping|blowing)|\bno longer (?:has any effect|sees?|notices?|detects?|works?)|\bnever (?:trips|stops|engages|acts|shears|drops|blows|lifts)|\bin practice it never"
    r"\bso (?:that )?(?:the |it |they )?(?:\w+ ){0,3}?(?:restarts?|runs?|keeps? (?:running|going|working)|can (?:run|restart|start|operate|cycle)"
    r"|will (?:run|restart|start|operate|cycle)|starts?|operates?|cycles?|continues?|doesnt (?:trip|stop)|does not (?:trip|stop)|wont (?:trip|stop)|stops? tripping)"
    r"|\bwith (?:the |its |a |all )?(?:\w+ )?(?:guards?|doors?|gates?|covers?|hatch|lid|fence|hood)(?: doors?)? (?:open|opened|removed|off|missing|lifted|raised|unlocked)"
    r"|\bwhile (?:the )?(?:\w+ )?(?:guards?|doors?|gates?|covers?|hatch|lid|hood)(?: doors?)? (?:is |are )?(?:open|removed|off|lifted)"
    r"|\b(?:keep|keeps|keeping) (?:the )?(?:\w+ )?(?:production|line|machine|pump|press|conveyor|plant|it|things) (?:running|going|moving)"
    r"|\b(?:to )?(?:stop|avoid|prevent|eliminate|get rid of|cure) (?:\w+ ){0,2}?(?:nuisance |spurious |false |annoying )?(?:trips|tripping|stoppages|stops|shutdowns|alarms)"
    r"|\bwithout (?:stopping|tripping|the (?:guard|interlock|door))|\b(?:run|running|operate|operating|restart|start) (?:\w+ ){0,3}?without"
    r"|\bfaster|\bsave time|\bto speed (?:up|things up)|\bduring production"
)
BLIND = r"\b(?:stop|stops|without) (?:\w+ ){0,3}?(?:from )?(?:ever )?(?:noticing|caring|knowing|sensing|detecting) (?:that|whether|if)\b"
# Permissive phrases that carry a negation word ("no harm in bridging", "why not just jumper it"):
# read as "ok" before negations are looked for.
PERMISSIVE = (r"\b(?:no harm in|no problem (?:with|in)?|no reason not to|nothing wrong with|not a (?:big )?(?:problem|deal|issue)(?: to)?|dont worry(?: about it)?"
              r"|no need to worry|(?:wont|doesnt|will not|does not) hurt(?: to)?|no issue with|never had (?:a|any) (?:problem|issue|trouble)s?(?: with)?"
              r"|why not(?: just)?|(?:dont|do not|never) forget to|nothing (?:stops|prevents) you from|no one will (?:notice|know)|nobody will (?:notice|know)"
              r"|cant hurt|cannot hurt|no real risk|not really necessary to keep)\b")
# Safety logic edited out or set to nothing (PLC rungs, drive parameters), with a safety word near.
SOFTWARE = (r"\b(?:delete|deleted|comment(?:ed)? out|edit(?:ed)? out|jump(?:ed)? over|skip(?:ped)?|bypass(?:ed)?)\b.{0,40}?"
            r"\b(?:rung|function block|network|instruction|check|monitoring|safety function)s?\b"
            r"|\bset (?:\w+ ){0,4}?(?:parameter|param|p ?\d+(?:[.:]\d+)?)\b.{0,30}?\bto (?:0|zero|off|disabled?|none|inactive|no|false)\b"
            r"|\bforc(?:e|es|ing|ed) (?:\w+ ){0,4}?(?:inputs?|outputs?|bits?|tags?|signals?)\b"
            r"|\b(?:rung|function block|monitoring|safety function|safety check)s? (?:\w+ ){0,3}?(?:has|have|is|are) (?:been )?(?:deleted|removed|commented out|skipped|bypassed|disabled)\b"
            # a safety function switched off in software: "turn collision detection off in the cobot settings", "guard bypass = on"
            r"|\b(?:turn|turning|switch|switching|set|setting)\b.{0,40}?\b(?:off|to off|= ?off)\b.{0,30}?\b(?:in|on|from) (?:the )?(?:\w+ ){0,2}?"
            r"(?:settings|parameters?|menu|configuration|config|screen|software|program)\b"
            r"|\bbypass ?= ?on\b|\b(?:collision|zone|speed|force|door|guard|standstill) (?:detection|monitoring|supervision) (?:\w+ )?(?:off|deactivated|disabled)\b"
            r"|\b(?:turn|switch|shut)\w* off (?:the )?(?:\w+ ){0,2}?(?:collision|zone|speed|force|door|guard|standstill) (?:detection|monitoring|supervision)\b")
SKIP_LOCKOUT = (r"\b(?:no need to|dont need to|do not need to|dont bother (?:to|with)|not necessary to|unnecessary to|needless to|skip(?:ping)?(?: the)?)"
                r" (?:\w+ ){0,2}?(?:lock ?(?:ing )?(?:it |them |the \w+ )?out|lockout|isolat\w+|tag ?out|refit\w* the guards?|the guards?|the interlock)"
                r"|\b(?:lockout|isolation|the guard|guards|interlocks?) (?:is|are) (?:optional|not needed|unnecessary|not necessary)"
                r"|\b(?:dont|do not|doesnt|does not|wont) (?:really )?need (?:the|a|any|to use the) (?:guards?|interlocks?|lockout|lock ?out|isolation|padlock|estop)")
RUN_WITHOUT = (r"\b(?:run|runs|running|operate|operating|start|restart|use|using|jog|cycle|work|working|produce|try|test)"
               r" (?:\w+ ){0,4}?without (?:the |its |a |any |an )?")
REPLACE = (r"\b(?:only after|only when|until|refitted|reset|replace|replaced|replacing|replacement|new|spare|refit|re ?fit|reinstall|re ?install|reinstate|renew|exchange|swap(?: in)?"
           r"|fit the new|install the new|faulty|failed|defective|damaged|broken|worn|for (?:inspection|cleaning|testing|access|repair|calibration|maintenance)"
           r"|to (?:inspect|clean|test|access|repair|calibrate|check|measure|reach|latch|stop the)|latch\w*|lock ?out|locked out|isolated|isolate|tag ?out|loto)\b")

# Other languages: (strong actions, weak actions, objects, negations), each one regex
# searched anywhere in a sentence.
OTHER = {
    "de": (r"uberbruck\w*|brucke\w*|drahtbruck\w*|umgeh\w*|umgangen|deaktivier\w*|ausser kraft|kurzschl\w*|kurzgeschlossen"
           r"|manipulier\w*|uberlist\w*|abklebe?\w*|zukleb\w*|magnet\w*|blockier\w*|festbind\w*|festklemm\w*|auskeil\w*|verkeil\w*|lahmleg\w*|stilleg\w*|ignorier\w*|festkleb\w*|klebeband|auf maximum|tauschen? gegen (?:eine )?(?:grossere|starkere)|hoher (?:einstell|setz)\w*",
           r"entfern\w*|ausbau\w*|abklemm\w*|ausschalt\w*|abschalt\w*|schalten? \w+ (?:\w+ )?ab|abzieh\w*|ziehen \w+ (?:\w+ )?ab|trenn\w*|ausstecken",
           r"schutztur\w*|turschalter\w*|turkontakt\w*|turverriegel\w*|\w*verriegelung\w*|notaus\w*|nothalt\w*|not aus|not halt|lichtgitter\w*|lichtvorhang\w*"
           r"|uberlast\w*|motorschutz\w*|endschalter\w*|sicherheitsventil\w*|uberdruckventil\w*|druckbegrenzungsventil\w*|sicherung\w*|fischalter\w*|fi schalter"
           r"|schutzeinrichtung\w*|sicherheitsrelais|sicherheitsschalter\w*|sicherheitskreis\w*|zweihand\w*|bremse\w*|schutzhaube\w*|schutzgitter\w*|schutzabdeckung\w*|sicherheits\w*|schutzschalter\w*|temperaturwachter\w*|druckwachter\w*|berstscheibe\w*",
           r"\b(?:nicht|nie|niemals|kein\w*|verboten|unzulassig|keinesfalls|auf keinen fall|untersagt|darf nicht|durfen nicht|gefunden|zu entfernen)\b"),
    "fr": (r"shunt\w*|pont\w*|court ?circuit\w*|contourn\w*|desactiv\w*|neutralis\w*|inhib\w*|forc\w*|aimant\w*|strap\w*|bloqu\w*|scotch\w*|cal(?:er|ez|e)|attach\w* (?:en position|ouvert)|trich\w*|leurr\w*|ignor\w*|surcalibr\w*|augment\w*|plus gros\w*|au maximum|par un de \d+",
           r"retir\w*|enlev\w*|demont\w*|coup\w*|debranch\w*|deconnect\w*|supprim\w*|arret\w* (?:le|la|les)",
           r"verrouillage\w*|interverrouill\w*|protecteur\w*|carter\w*|interrupteur de (?:porte|securite)|contact de porte|d?arret d?urgence|bouton d?urgence|au\b|barriere immaterielle|rideau lumineux|rideau optique"
           r"|relais de securite|surcharge\w*|fin de course|soupape\w*|clapet\w*|fusible\w*|disjoncteur\w*|differentiel|commande bimanuelle|bimanuel\w*|frein\w*|dispositif\w* de (?:securite|protection)|securite\w*|capteur\w* de porte|porte de protection|garde\w*",
           r"\b(?:ne|n|jamais|interdit\w*|aucun\w*|en aucun cas|pas|defense|consign\w*|retirez le (?:pont|shunt|strap))\b"),
    "es": (r"puente\w*|hacer un puente|cortocircuit\w*|anul\w*|desactiv\w*|deshabilit\w*|inhib\w*|burl\w*|elud\w*|salt\w*|iman\w*|forz\w*|bloque\w*|cinta|calz\w*|atar\w*|enga\w*|ignor\w*|mayor calibre|mas grande|aument\w*|al maximo|pon uno de \d+",
           r"quit\w*|retir\w*|desmont\w*|desconect\w*|apag\w*|cort\w*|elimin\w*|suprim\w*",
           r"enclavamiento\w*|interruptor\w* de (?:la )?(?:puerta|seguridad)|resguardo\w*|protector\w*|guarda\w*|parada de emergencia|seta de emergencia|cortina\w* (?:fotoelectrica|de luz|optica|de seguridad)"
           r"|rele de seguridad|sobrecarga\w*|rele termico|final\w* de carrera|valvula\w* de (?:seguridad|alivio)|fusible\w*|diferencial\w*|mando a dos manos|dos manos|freno\w*|dispositivo\w* de (?:seguridad|proteccion)|seguridad|sensor\w* de (?:la )?puerta|puerta de (?:seguridad|proteccion)|proteccion\w*",
           r"\b(?:no|nunca|jamas|prohibid\w*|en ningun caso|ningun\w*|evite\w*|evitar|etiquet\w*|retire el puente)\b"),
    "zh": (r"短接|跨接|短路|旁路|绕过|绕开|屏蔽|禁用|强制|跳过|跳线|搭接|失效|解除|取消|封住|粘住|胶带|磁铁|绑住|楔住|顶住|卡住|骗过|欺骗|调高|加大|换成更大|加粗|调到最大|调至最大|铜丝|铁丝|锡纸",
           r"拆除|拆下|拆掉|移除|取下|去掉|关闭|关掉|断开|拔掉|拔下|切断|剪断",
           r"联锁|连锁|互锁|安全门|门开关|门限位|急停|紧急停止|光幕|光栅|过载|过流|热继电器|限位开关|行程开关|安全阀|泄压阀|溢流阀|防护罩|护罩|防护门|防护栏|双手|安全继电器|安全回路|熔断器|保险丝|漏电保护|制动器|刹车|抱闸|安全装置|保护装置|保护功能|安全开关|压力开关|温度保护|爆破片",
           r"不要|禁止|切勿|严禁|不得|请勿|不可|不能|不准|决不|绝不|勿"),
}
# Per language: replacement / cleaning context (a weak action is maintenance) and
# running context (the machine is to run that way), and the words that only name a cover.
OTHER_CONTEXT = {
    "de": (r"ersetz\w*|austausch\w*|tausch\w*|neue\w*|wechsel\w*|reinig\w*|prufen|instandsetz\w*|wieder (?:ein|an)\w*",
           r"damit|weiterlauf\w*|weiter lauf\w*|lauft|laufen|anlauf\w*|offen\w*|betrieb|produktion",
           r"schutzhaube\w*|schutzgitter\w*|schutzabdeckung\w*|bremse\w*|sicherung\w*"),
    "fr": (r"remplac\w*|neu(?:f|ve)|nouveau|nouvel\w*|nettoy\w*|control\w*|reparer|remont\w*|reinstall\w*",
           r"pour qu\w*|tourne\w*|continu\w*|ouvert\w*|marche|production|redemarr\w*",
           r"carter\w*|protecteur\w*|garde\w*|frein\w*|fusible\w*|disjoncteur\w*"),
    "es": (r"reemplaz\w*|sustitu\w*|nuev\w*|limpi\w*|revis\w*|reparar|reinstal\w*|vuelv\w*",
           r"para que|siga\w*|funcione\w*|abiert\w*|marcha|produccion|arranque\w*|funcionando",
           r"resguardo\w*|protector\w*|guarda\w*|freno\w*|fusible\w*"),
    "zh": (r"更换|换上|新的|清洁|检查|维修|装回|复位",
           r"继续运行|运行|开着|打开|生产|启动|开机|不停机",
           r"防护罩|护罩|防护门|防护栏|制动器|刹车|抱闸|熔断器|保险丝"),
}
# Words that tell the languages apart (Chinese: any CJK ideograph).
FUNCTION_WORDS = {
    "de": r"\b(?:der|die|das|den|dem|und|sie|nicht|mit|ist|zu|ein|eine|einen|bei|vor|nach|wenn|damit|auch|nie|niemals|wird|werden|auf|im)\b",
    "fr": r"\b(?:le|la|les|du|des|et|pour|avec|ne|pas|une|un|est|sur|que|jamais|au|aux|dans|par|vous|lorsque)\b",
    "es": r"\b(?:el|los|las|del|y|para|con|una|un|es|por|que|nunca|al|en|se|cuando|sin|esta)\b",
    "en": r"\b(?:the|and|to|of|is|with|it|a|an|on|for|do|not|never|before|after|this|that|so|be|or|if|you)\b",
}
# A protective setting put past the rating of what it protects (the rules' _over_rating).
OVER_RATING = (r"\b(?:set|sets|setting|turn(?:ed)? (?:\w+ ){0,6}?up|rais(?:e|ed|ing)|increas(?:e|ed|ing)|adjust(?:ed)?|wind (?:\w+ ){0,4}?up)\b"
               r".{0,80}?\b\d+(?:[.,]\d+)? ?(?:bar|psi|kpa|mpa|°c|c|°f|a|amps?|%|rpm|mm|s)\b"
               r"(?:.{0,30}?\b(?:above|higher than|over|more than|beyond|exceed\w*)\b.{0,40}?\b(?:design|rated|rating|flash ?point|nameplate"
               r"|max(?:imum)? (?:allowable|working|permitted|rated))\b|.{0,40}?\b(?:\w+ )?is rated(?: at| for)? \d)")
