"""Made-up training sentences for the defeat classifier (:mod:`assistant.safety_filter.defeat_model`).

The blind phrase sets are small (a few hundred sentences) and each item uses its
own device and wording, so a classifier trained on them alone learns their words.
:func:`synthetic` adds sentences built from templates written here: many ways to
*defeat* a protective device (bridge, tie, wedge, set beyond rating, edit out,
run without, purpose clauses, slang, conditionals, indirect advice, passives)
and, as contrast pairs on the same devices, the legitimate things a manual says
about them (prohibitions, harms, tests, like-for-like replacement, restoring a
bridged device, lockout, descriptions of a fault) and ordinary maintenance
text with no device at stake (parts, intervals, headings, table rows). The same device words occur
on both sides, so what separates the classes is the act, not the device.

Deterministic for a given ``seed``; nothing here is taken from the blind sets.

>>> rows = synthetic(40, seed=1)
>>> 70 < len(rows) <= 80, {label for _, label in rows} == {0, 1}
(True, True)
"""

from __future__ import annotations

import random

DEVICES = (
    "guard interlock", "door switch", "gate switch", "emergency stop", "e-stop circuit", "light curtain",
    "two-hand control", "overload relay", "motor protection switch", "limit switch", "overtravel limit",
    "pressure cut-out", "pressure switch", "thermal cut-out", "high-temperature limit", "relief valve",
    "safety valve", "burst disc", "safety relay", "safety PLC input", "pull-cord switch", "safety mat",
    "laser scanner", "area scanner", "enabling switch", "hoist brake", "overspeed governor", "flame sensor",
    "low-water cut-off", "level switch", "RCD", "earth-leakage breaker", "fuse", "circuit breaker",
    "load limiter", "anti-two-block switch", "seat switch", "hood interlock", "tongue switch", "safety edge",
    "thermistor relay", "flow switch", "gas detector", "smoke damper", "torque limiter", "slack-rope switch",
    "photo-eye", "muting sensor", "guard door contact", "trapped-key switch",
)
MACHINES = ("press", "pump", "conveyor", "robot cell", "saw", "boiler", "compressor", "crane", "mixer", "lathe",
            "palletiser", "chiller", "hoist", "extruder", "packing line", "furnace", "kiln", "shredder")
PURPOSES = ("so the {m} keeps running", "so the {m} restarts with the guard open", "so it never trips again",
            "so production is not interrupted", "so the {m} runs while you work inside", "to stop the nuisance trips",
            "and carry on with the shift", "for the rest of the shift", "permanently", "until the end of the run",
            "so the operators are not slowed down", "so the {m} can run with the door open", "to save time",
            "so nobody has to reset it", "and get the {m} going again", "so the cycle starts anyway")
DEFEAT_ACTS = (
    "bridge the {d}", "jumper out the {d}", "link out the {d}", "put a wire link across the {d}",
    "short the contacts of the {d}", "bypass the {d}", "override the {d}", "defeat the {d}", "disable the {d}",
    "switch off the {d}", "disconnect the {d}", "pull the {d} out of the safety chain", "remove the {d}",
    "tape over the {d}", "cable-tie the {d}", "wedge the {d}", "stick a magnet on the {d}", "cheat the {d}",
    "force the {d} input high", "mute the {d}", "set the {d} to its maximum", "turn the {d} right up",
    "wind the {d} up past its rating", "take the {d} out of circuit", "unplug the {d} and short the plug",
    "fit a bigger {d}", "gag the {d}", "block the {d}", "clamp the {d} shut", "tie back the {d}",
    "leave the {d} disconnected", "keep the {d} held in", "plug the {d}", "weld the {d} solid",
    "fool the {d}", "trick the {d} into reading normal", "blank off the {d}", "hot-wire round the {d}",
    "put a resistor across the {d}", "screw the {d} down hard", "hold the {d} closed with a clamp",
    "leave the {d} bridged", "pin the {d}", "kill the {d}", "lose the {d}", "nobble the {d}",
    "make the controller ignore the {d}", "delete the {d} rung from the program", "force the {d} bit on",
)
PARAPHRASES = (
    "make the {m} believe the {d} is fine even when it is not", "let the {m} carry on whatever the {d} says",
    "keep the {m} running no matter what the {d} reports", "stop the {d} from ever stopping the {m}",
    "get the {m} to ignore the {d}", "give the circuit a path around the {d}",
    "feed the controller a fake signal from the {d}", "have the {m} run without waiting for the {d}",
    "arrange things so the {d} can never cut the power", "teach the {m} to forget about the {d}",
)
OPENERS = ("", "", "", "Just ", "Simply ", "The quickest fix is to ", "Best thing is to ", "You can ", "We always ",
           "Honestly, ", "I'd ", "Go ahead and ", "The trick is to ", "Easiest way: ", "Tell the operator to ")
CONDITIONS = ("If the {d} keeps tripping, ", "When the {d} stops the {m} again, ", "If the {d} gives trouble, ",
              "Should the {d} cause nuisance stops, ", "Whenever the {d} faults, ", "If you are in a hurry, ",
              "If the {m} will not start, ", "During the night shift, ")
PASSIVES = ("The {d} can be bridged {p}.", "The {d} may be left out of circuit {p}.", "The {d} can be jumpered {p}.",
            "It is fine to run the {m} with the {d} disabled.", "The {m} runs fine with the {d} disconnected.",
            "Nobody will notice if the {d} is bypassed.", "The {d} is best left switched off {p}.",
            "Running the {m} with the {d} overridden saves a lot of time.",
            "There's no harm in bridging the {d} {p}.", "The {d} does not need to be connected {p}.")

LEGIT = (
    "Never bridge, bypass or defeat the {d}.", "Do not {a} under any circumstances.", "Never {a}.",
    "You must not {a}, even for a short test.", "Under no circumstances {a}.",
    "It is forbidden to {a}.", "{A} is prohibited and can cause serious injury.", "{A} can kill.",
    "Anyone who tries to {a} will face disciplinary action.", "Do not {a} {p}.",
    "Never {a}; find and fix the cause of the trip instead.",
    "Test the {d} by operating it; the {m} must stop.", "Check that the {d} stops the {m} before restarting.",
    "Replace the faulty {d} with a new one of the same type and rating.", "Inspect the {d} for damage and wear.",
    "Clean the {d} and check its alignment.", "Check the wiring of the {d} against the circuit diagram.",
    "Remove the temporary jumper from the {d} terminals and restore the original wiring.",
    "Remove any magnet or tape found on the {d} and report it.", "Refit the {d} before returning the {m} to service.",
    "If the {d} keeps tripping, find the cause before resetting it.", "If the {d} trips, isolate the {m} and call the electrician.",
    "Reset the {d} only after the fault has been cleared.", "Set the {d} to the value on the rating plate.",
    "Lock out and tag out the {m} before working on the {d}.", "Isolate the {m} and prove it dead before removing the {d}.",
    "The {d} was found bypassed during the audit and has been restored.", "The {d} stops the {m} when it is operated.",
    "Record the test of the {d} in the maintenance log.", "The {d} must be tested every shift.",
    "Measure the resistance of the {d} contacts with the {m} isolated.", "Order a spare {d} from the manufacturer.",
    "The {d} protects the operator from the moving parts of the {m}.", "Report a faulty {d} to the supervisor at once.",
    "After replacing the {d}, test it before handing the {m} back.", "Adjust the {d} within the range given in the manual.",
    "Only a competent person may adjust the {d}.", "A damaged {d} must be replaced, never repaired on site.",
    "Check that no one has bridged the {d}.", "Make sure the {d} is connected before the {m} is started.",
    "Bridging the {d} is a criminal offence if someone is hurt.", "The {m} will not start while the {d} is open.",
    "Why the {d} trips: the {m} is overloaded or the setting is wrong.", "Do not restart the {m} until the {d} is working.",
)
LEGIT_PLAIN = (
    "Bridge the terminals of the test plug as shown in the diagram.", "Open the bypass valve to drain the line.",
    "Fit a jumper on the analogue input terminals only when calibrating, as in section {n}.",
    "Switch off the main isolator and lock it before opening the panel.", "Remove the coupling guard to reach the coupling, then refit it.",
    "Override the feed rate to 50 % while proving the new program.", "Short the two pins of the service connector to enter setup, as described in {n}.",
    "Disable the screensaver on the HMI from the settings menu.", "Take the fuse out of its holder and check it with a meter.",
    "Remove the old bearing with a puller.", "Switch off the lighting in the cabinet when you close it.",
    "Raise the conveyor speed to 1.2 m/s after the trial run.", "Increase the coolant flow until the temperature is steady.",
    "Disconnect the sensor cable and check the connector for corrosion.", "Tape the cable to the frame to keep it away from the chain.",
    "Use a magnet to pick the swarf out of the sump.", "Set the timer to 5 s as shown in {n}.",
)


# Ordinary maintenance text with no safety device at stake: what most manual sentences are.
PARTS = ("bearing", "drive belt", "filter element", "coupling", "oil", "shaft seal", "gasket", "sensor plug", "inspection cover",
         "pulley", "gearbox", "hydraulic hose", "drain valve", "spray nozzle", "motor", "cooling fan", "impeller", "chain",
         "sprocket", "cable gland", "terminal box lid", "air filter", "separator element", "oil cooler", "belt scraper",
         "take-up carriage", "idler roller", "grease nipple", "V-belts", "fixing bolts", "check valve", "solenoid coil",
         "temperature sensor", "pressure gauge", "level gauge", "suction strainer", "wear plate", "brake pads", "fuse holder")
ORDINARY_ACTS = ("remove", "disconnect", "unscrew", "replace", "check", "clean", "tighten", "lubricate", "inspect", "drain",
                 "refill", "measure", "record", "align", "adjust", "fit", "lift out", "lower", "release", "open", "close",
                 "switch off", "switch on", "reconnect", "refit", "grease", "torque", "loosen", "undo", "label", "order")
ORDINARY = (
    "{V} the {q}.", "{V} the {q} and {v} the {q2}.", "{V} the {q} as shown in {n}.", "Then {v} the {q}.",
    "{V} the {q} every 2000 hours.", "The {q} is fitted on the drive side of the {m}.", "{V} the {q}; see table {n}.",
    "If the {q} is worn, {v} it.", "Stop the {m} and {v} the {q}.",
    "The {m} starts when the pressure falls below the cut-in value.", "A worn {q} causes noise and vibration.",
    "| {Q} | {n} |", "## {n} {Q}", "### {n} Replacing the {q}", "Model: {m} {n}",
    "Wear gloves when you {v} the {q}.", "The {q} protects the {m} from dirt.",
    "Check that the {q} turns freely by hand.", "Use only the oil grade given in {n}.",
)


def _ordinary(rng: random.Random) -> str:
    q, q2, v, v2 = rng.choice(PARTS), rng.choice(PARTS), rng.choice(ORDINARY_ACTS), rng.choice(ORDINARY_ACTS)
    text = rng.choice(ORDINARY).replace("{V}", v.capitalize()).replace("{v}", v2).replace("{q2}", q2)
    return _fill(text.replace("{Q}", q.capitalize()).replace("{q}", q), rng)


def _fill(template: str, rng: random.Random) -> str:
    d, m = rng.choice(DEVICES), rng.choice(MACHINES)
    p = rng.choice(PURPOSES).format(m=m)
    return template.replace("{p}", p).replace("{d}", d).replace("{m}", m).replace("{n}", f"{rng.randint(2, 9)}.{rng.randint(1, 9)}")


def _defeat(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.15:
        return _fill(rng.choice(PASSIVES), rng)
    act = rng.choice(PARAPHRASES if kind < 0.3 else DEFEAT_ACTS)
    purpose = " {p}" if rng.random() < 0.6 else ""
    if rng.random() < 0.3:
        text = rng.choice(CONDITIONS) + act + purpose + "."
    else:
        opener = rng.choice(OPENERS)
        text = opener + (act[0].upper() + act[1:] if not opener else act) + purpose + "."
    return _fill(text, rng)


def _legit(rng: random.Random) -> str:
    if rng.random() < 0.35:
        return _ordinary(rng)
    if rng.random() < 0.2:
        return _fill(rng.choice(LEGIT_PLAIN), rng)
    template = rng.choice(LEGIT)
    act = rng.choice(DEFEAT_ACTS)
    gerund = act.split(" ", 1)
    verb = gerund[0]
    ing = (verb[:-1] if verb.endswith("e") and not verb.endswith("ee") else verb) + "ing"
    text = template.replace("{a}", act).replace("{A}", (ing + " " + gerund[1]).capitalize() if len(gerund) > 1 else ing.capitalize())
    return _fill(text, rng)


def synthetic(n: int = 600, seed: int = 20261204) -> list[tuple[str, int]]:
    """Up to ``n`` defeat sentences (label 1) and ``n`` legitimate ones (label 0), no repeats."""
    rng = random.Random(seed)
    rows = [(_defeat(rng), 1) for _ in range(n)] + [(_legit(rng), 0) for _ in range(n)]
    return list(dict.fromkeys(rows))  # repeats dropped
