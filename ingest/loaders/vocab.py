"""The work-order field vocabularies: which export headers carry which field.

Two kinds of evidence, each with a header score in (0, 1]:

* ``EXACT``: whole header names of common CMMS / EAM exports, compared after
  :func:`normalize_header` (``Failure Code`` == ``failure_code``). They cover
  generic exports, IBM Maximo's WORKORDER attributes (``wonum``, ``assetnum``,
  ``failurecode``, ``problemcode``, ``reportdate``, ``actfinish`` ...), SAP PM
  notification / order fields by technical name (``QMNUM``, ``AUFNR``,
  ``EQUNR``, ``TPLNR``, ``AUSVN``, ``AUSZT``, ``FECOD`` ...) and by their
  English labels (``Notification``, ``Functional Location``, ``Malfunct.
  start``, ``Breakdown duration``), and Infor EAM (``evt_code``, ``evt_object``).
* ``RULES``: word patterns for headers nobody listed (``wo_description``,
  ``primary_code``, ``actual_finish``, ``repair duration (min)``).

Roles beyond the WorkOrder fields (``notification``, ``location``,
``start``, ``finish``, ``time``, ``duration_h``, ``failure_class``,
``fault_code_2``, ``code_text``, ``work_type`` ...) feed fallbacks: the
records builder fills an empty id from the notification, an empty asset from
the location, the time from the actual start or finish, the downtime from a
duration or from finish - start, and tells preventive from corrective work.

>>> header_candidates("wo_id")[0], header_candidates("actual_finish")[0], header_candidates("Repair time (min)")[0]
(('wo_id', 1.0), ('finish', 1.0), ('duration_min', 0.8))
>>> [r for r, _ in header_candidates("primary_code_description")][:1]
['code_text']
"""

from __future__ import annotations

import re

# Roles whose values are converted, not copied.
DATE_ROLES = frozenset({"timestamp", "start", "finish"})
TIME_ROLES = frozenset({"time", "start_time", "finish_time"})
DURATION_ROLES = frozenset({"downtime_h", "downtime_min", "duration_h", "duration_min"})
# Roles of which one column is read per group (the first group is the old "one downtime column" rule).
EXCLUSIVE = (frozenset({"downtime_h", "downtime_min"}), frozenset({"duration_h", "duration_min"}))

ROLES: dict[str, str] = {
    "wo_id": "work-order id",
    "notification": "notification number (id when the order number is empty)",
    "asset_id": "asset / equipment id",
    "asset_name": "asset name (asset when the id is empty)",
    "location": "location / functional location (asset when both are empty)",
    "timestamp": "reported / failure date",
    "time": "time of day of the reported date",
    "start": "actual start (time when no reported date)",
    "start_time": "time of day of the actual start",
    "finish": "actual finish (time when no date or start)",
    "finish_time": "time of day of the actual finish",
    "fault_code": "fault / problem / damage code",
    "failure_class": "failure class / code group (code when no problem code)",
    "fault_code_2": "secondary code (code when the others are empty)",
    "code_text": "description of the code (symptom when there is no description)",
    "symptom": "description / problem text",
    "cause": "cause",
    "action": "remedy / action taken",
    "downtime_h": "downtime in hours",
    "downtime_min": "downtime in minutes",
    "duration_h": "work duration in hours (downtime when there is none)",
    "duration_min": "work duration in minutes (downtime when there is none)",
    "work_type": "work type: preventive or corrective",
    "equipment_model": "equipment model",
}


def normalize_header(header: str) -> str:
    """``'Failure Code'`` / ``'failure_code'`` / ``'WO#'`` -> ``'failurecode'`` / ... / ``'wo'``.

    >>> normalize_header(" Failure_Code "), normalize_header("WO#"), normalize_header("Downtime [h]")
    ('failurecode', 'wo', 'downtimeh')
    """
    return re.sub(r"[^0-9a-z]+", "", header.lower())


def header_words(header: str) -> list[str]:
    """``'ActualFinish'`` / ``'actual_finish'`` / ``'Malfunct. start'`` -> lower-case words.

    >>> header_words("ActualFinish"), header_words("Notif.date"), header_words("WO#")
    (['actual', 'finish'], ['notif', 'date'], ['wo'])
    """
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", header)
    return re.findall(r"[a-z0-9]+", spaced.lower())


_E = {
    "wo_id": "wo wono wonumber wonum workorder workorderid workorderno workordernumber workordernum "
             "wo_id order orderno ordernumber orderid aufnr maintenanceorder ticket ticketid ticketno "
             "id evtcode jobno jobnumber requestid",
    "notification": "notification notificationno notificationnumber notifno qmnum",
    "asset_id": "asset assetid assetno assetnum assetnumber assettag equipment equipmentid equipmentno "
                "equipmentnumber equnr equip machine machineid tag evtobject",
    "asset_name": "assetname assetdescription equipmentname equipmentdescription machinename eqktx",
    "location": "location locationid functionallocation funcloc floc tplnr locationcode",
    "timestamp": "date timestamp time datetime reported reportedat reportdate reporteddate datereported "
                 "created createdat createddate creationdate opened faildate failuredate "
                 "notificationdate notifdate qmdat ausvn malfunctstart malfunctionstart startofmalfunction "
                 "breakdownstart evtdate",
    "time": "reporttime notificationtime notiftime mzeit auztv malfunctstarttime malfunctionstarttime",
    "start": "actstart actualstart actualstartdate startdate gstri evtstart",
    "start_time": "actualstarttime starttime",
    "finish": "actfinish actualfinish actualfinishdate actualend completed completeddate completiondate "
              "finishdate enddate closedate closeddate datecompleted evtcompleted getri ausbs",
    "finish_time": "actualfinishtime finishtime endtime auztb",
    "fault_code": "faultcode failurecode code alarm alarmcode errorcode fault problemcode problem_code "
                  "damagecode fecod primarycode evtproblem",
    "failure_class": "failureclass codegroup fegrp evtfailure",
    "fault_code_2": "secondarycode subcode",
    "code_text": "primarycodedescription problemcodedescription damagecodetext",
    "symptom": "problem symptom description complaint issue faultdescription wodescription shorttext "
               "qmtxt ktext evtdesc workdescription",
    "cause": "cause rootcause failurecause causecode urcod causetext evtcause",
    "action": "action remedy remedycode correctiveaction resolution workdone repair actiontaken "
              "activitycode mncod evtaction",
    "downtime_h": "downtime downtimeh downtimehours downtimehrs hoursdown downhours breakdownduration "
                  "auszt downtimehr",
    "downtime_min": "downtimemin downtimemins downtimeminutes minutesdown downminutes",
    "duration_h": "duration actualduration durationh durationhours repairtime repairhours actdur",
    "duration_min": "durationmin durationminutes repairminutes",
    "work_type": "worktype wotype ordertype auart notificationtype notiftype qmart maintenancetype "
                 "preventive ispreventive pm jobtype evtjobtype maintactivitytype ilart type",
    "equipment_model": "model equipmentmodel assetmodel machinemodel",
}
EXACT: dict[str, list[tuple[str, float]]] = {}
for _role, _names in _E.items():
    for _n in _names.split():
        if (_role, 1.0) not in EXACT.setdefault(normalize_header(_n), []):
            EXACT[normalize_header(_n)].append((_role, 1.0))
# Maximo's FAILURECODE is the failure class when a PROBLEMCODE sits beside it.
EXACT["failurecode"] = [("fault_code", 0.95), ("failure_class", 0.9)]
EXACT["time"].append(("time", 0.95))  # a "Time" column beside a "Date" column

_NOT_TIME = {"labor", "labour", "cost", "est", "estimated", "planned", "plan", "sched", "scheduled", "target",
             "targ", "due", "next", "last", "required", "basic"}
_ID = {"id", "no", "num", "number", "nr", "code", "key"}
_CODE_OWNER = {"fault", "failure", "problem", "error", "alarm", "damage", "defect", "trouble", "primary",
               "symptom", "malfunction"}
_TEXT = {"description", "desc", "text", "descr", "txt"}


def _rules(w: list[str]) -> list[tuple[str, float]]:
    """Word-pattern candidates for one header's words."""
    s, out = set(w), []
    add = out.append
    if s & _NOT_TIME and s & {"date", "start", "finish", "end", "time", "duration", "hours", "dur", "hrs"}:
        return out  # planned / estimated / labour figures are not what happened
    if s & {"wo", "workorder", "order", "ticket", "job"} and (s & _ID or w[-1] in {"wo", "order"}):
        add(("wo_id", 0.9))
    if s & {"notification", "notif"} and not s & {"date", "time", "type"}:
        add(("notification", 0.85))
    if s & {"asset", "equipment", "equip", "machine", "eqpt"}:
        add(("asset_name", 0.8) if s & (_TEXT | {"name"}) else ("asset_id", 0.85))
    if s & {"location", "floc"} or {"functional", "loc"} <= s:
        add(("location", 0.8))
    if "code" in s and s & _TEXT:
        add(("code_text", 0.85))
    elif "code" in s and s & {"secondary", "sub", "second", "2"}:
        add(("fault_code_2", 0.85))
    elif "code" in s and s & {"cause", "root"}:
        add(("cause", 0.85))
    elif "code" in s and s & {"remedy", "action", "activity", "repair"}:
        add(("action", 0.85))
    elif "code" in s and s & {"class", "group"}:
        add(("failure_class", 0.8))
    elif "code" in s and s & _CODE_OWNER:
        add(("fault_code", 0.9))
    elif w and w[-1] == "code" and not s & {"asset", "equipment", "location", "site", "craft", "labor", "account",
                                            "cost", "gl", "trade", "shop", "priority", "status", "type"}:
        add(("fault_code", 0.6))
    if s & {"downtime", "breakdown", "outage", "down"} and s & {"duration", "time", "hours", "h", "hrs", "min",
                                                                  "mins", "minutes", "downtime"}:
        add(("downtime_min", 0.85) if s & {"min", "mins", "minutes"} else ("downtime_h", 0.85))
    elif s & {"duration", "dur", "ttr", "repairtime"} or {"repair", "time"} <= s or {"hours", "repair"} <= s:
        add(("duration_min", 0.8) if s & {"min", "mins", "minutes"} else ("duration_h", 0.8))
    if s & {"start", "started", "begin"} and not s & {"type"}:
        add(("start_time", 0.75) if "time" in s and "date" not in s else ("start", 0.85))
    if s & {"finish", "finished", "end", "completed", "completion", "closed", "close", "done", "resolved"}:
        add(("finish_time", 0.75) if "time" in s and "date" not in s else ("finish", 0.85))
    if s & {"reported", "report", "created", "creation", "opened", "failure", "fail", "malfunction",
            "malfunct", "breakdown", "notification", "notif", "request", "requested", "raised", "logged"} \
            and s & {"date", "time", "datetime", "at", "on", "timestamp", "dt"}:
        add(("time", 0.75) if "time" in s and "date" not in s else ("timestamp", 0.9))
    elif s & {"date", "datetime", "timestamp"}:
        add(("timestamp", 0.6))
    if "code" not in s and s & (_TEXT | {"summary", "title", "subject", "complaint", "symptom", "problem"}) \
            and not s & {"asset", "equipment", "location", "cause", "remedy", "action", "long", "status",
                         "priority", "type", "class", "site", "craft"}:
        add(("symptom", 0.7))
    if "code" not in s and s & {"cause"}:
        add(("cause", 0.7))
    if "code" not in s and s & {"remedy", "resolution", "repair", "action", "fix"} and not s & {"time", "date"}:
        add(("action", 0.7))
    if s & {"preventive", "preventative", "pm", "corrective", "worktype"} or {"work", "type"} <= s \
            or ({"type"} & s and s & {"order", "wo", "maintenance", "job", "notification", "notif", "activity"}):
        add(("work_type", 0.8))
    if "model" in s:
        add(("equipment_model", 0.8))
    return out


def header_candidates(header: str) -> list[tuple[str, float]]:
    """(role, header score) for one header, best first; exact names before word patterns."""
    exact = EXACT.get(normalize_header(header), [])
    seen = {r for r, _ in exact}
    rest = [(r, s) for r, s in _rules(header_words(header)) if r not in seen]
    return sorted(exact + rest, key=lambda c: -c[1])
