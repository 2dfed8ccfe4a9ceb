"""Does a sentence advise defeating a safety device? The semantic part.

Word lists miss paraphrases ("make the controller believe the door is shut",
"persuade the press it has two hands on it"). :class:`SemanticCheck` embeds a
sentence with the project's MiniLM model and compares it with two sets of
exemplars written here: advice to defeat a device, and legitimate sentences
about the same devices (testing, replacing, warnings). A sentence is flagged
when it is closer to a defeat exemplar than ``threshold`` and closer to it
than to any legitimate exemplar by ``margin``.

MiniLM barely sees negation ("never bridge X" sits next to "bridge X"), so
sentences with a negation or prohibition are never flagged here; the rules
(:mod:`assistant.safety_filter.defeat_rules`) handle those. Only sentences that name a
safety device or a defeat action are embedded at all, which keeps the cost
to the few sentences that matter. MiniLM is English-only (see STACK.md):
this check adds nothing for German, French, Spanish or Chinese text.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence

from knowledge_base.embedder import Embedder
from knowledge_base.normalise import fold

DEFEAT = (
    "Make the controller believe the guard door is closed.",
    "Trick the safety system into thinking the gate is shut.",
    "Fool the door sensor so the machine runs with the door open.",
    "Keep the press cycling while someone reaches inside the guard.",
    "Stop the interlock from stopping the machine.",
    "Get the machine to run with the safety circuit open.",
    "Hold the two-hand buttons down with a weight so one operator can run the press.",
    "Keep the emergency stop from doing anything.",
    "Make the e-stop ineffective so production is not interrupted.",
    "Let the robot move while the cell door is open.",
    "Stop the light curtain from tripping the press when someone walks through.",
    "Keep the overload from tripping by setting it to the top of the scale.",
    "Put a bigger fuse in so it stops blowing.",
    "Stop the relief valve from lifting by tightening its spring.",
    "Connect the two wires of the safety switch together.",
    "Put a piece of wire between the contacts of the door switch.",
    "Join the safety relay terminals with a short length of cable.",
    "Take the safety out of the circuit so the motor keeps running.",
    "Leave the guard off and keep running the machine.",
    "Run the saw with the blade guard removed to save time.",
    "Keep the spare actuator in the switch so the door can stay open.",
    "Stick the spare key into the guard switch so it always reads closed.",
    "Make the machine ignore the open door.",
    "Silence the safety alarm permanently so the line keeps running.",
    "Make the pressure switch think the pressure is normal.",
    "Fool the thermal protection so the motor keeps running hot.",
    "Keep the brake released while the hoist is working.",
    "Put the safety PLC into a mode where the door monitoring is ignored.",
    "Change the safety PLC program so the light curtain is not checked.",
    "Leave the interlock out of the loop.",
    "Get around the guard switch so you can work faster.",
    "Work around the two-hand control with a single button.",
    "Cancel the safety function to keep the line moving.",
    "Make the door switch always report closed.",
    "Keep the machine running when the gate is opened.",
    "Let the pump restart even though the guard is open.",
    "Use the spare actuator to keep the safety switch made.",
    "Stop the limit switch from stopping the axis.",
    "Allow the crane to travel past its limit switch.",
    "Keep the burner firing even when the flame sensor sees no flame.",
)
LEGIT = (
    "Test the guard interlock by opening the door; the machine must stop.",
    "Check that the door switch opens when the guard is opened.",
    "Replace the damaged door switch with a new one of the same type.",
    "Remove the coupling guard to reach the coupling, then refit it.",
    "Refit all guards before restarting the machine.",
    "Press the emergency stop and check that all motion stops.",
    "Reset the e-stop by turning the button clockwise.",
    "Clean the light curtain lenses with a soft cloth.",
    "Check the overload relay setting against the motor nameplate.",
    "Replace the blown fuse with one of the same rating.",
    "Test the relief valve at the set pressure.",
    "Measure continuity across the interlock switch contacts with the guard closed.",
    "Lock out and tag out the supply before opening the panel.",
    "Isolate the machine and remove the fuses before working on the wiring.",
    "Bridge the terminals of the test plug as shown in 6.3.",
    "Use the enabling switch in setup mode to jog the axis at reduced speed.",
    "Fit the safety relay and wire it as shown in the diagram.",
    "Adjust the limit switch cam so the axis stops at the end position.",
    "The machine must not run with the guard open.",
    "Bypassing the interlock can cause serious injury.",
    "Report any guard that is damaged or missing to the supervisor.",
    "Open the bypass valve to drain the line.",
    "Switch off the main isolator and lock it.",
    "Release the brake manually with the supply locked out to turn the shaft.",
    "Check that the two-hand control needs both buttons pressed within 0.5 s.",
    "Set the overload relay to the motor full-load current.",
    "Calibrate the pressure switch with a test gauge.",
    "Remove the jumper from the interlock terminals and restore the wiring.",
    "Close the guard door and press reset to restart the cycle.",
    "Inspect the door switch actuator for wear and alignment.",
)
_NEGATION = re.compile(r"\b(?:never|not|no|dont|mustnt|cannot|cant|nor|avoid|prohibited|forbidden|without|must not|do not)\b"
                       r"|\b(?:can|could|may|will) (?:\w+ ){0,2}?(?:cause|result|lead|kill|injure)\b")
_TOPIC = re.compile(r"\b(?:interlock|guard|door|gate|safety|estop|emergency|light curtain|light grid|two ?hand|overload|limit switch"
                    r"|cutout|relief|fuse|breaker|rcd|brake|sensor|switch|relay|plc|pressure|thermal|flame|alarm|protection|trip"
                    r"|curtain|muting|mutes?\b|mats?\b|palm|isolator|leakage|limit|detector|scanner|governor)")


class SemanticCheck:
    """Flags paraphrased defeat advice by similarity to :data:`DEFEAT`."""

    def __init__(self, embedder: Embedder, threshold: float = 0.70, margin: float = 0.15) -> None:
        self.embedder, self.threshold, self.margin = embedder, threshold, margin
        self._bank: tuple | None = None
        self._lock = threading.Lock()

    def _exemplars(self):
        import numpy as np

        with self._lock:
            if self._bank is None:
                vecs = np.asarray(self.embedder.embed_batch([*DEFEAT, *LEGIT]), dtype=np.float32)
                self._bank = (vecs[: len(DEFEAT)], vecs[len(DEFEAT):])
        return self._bank

    @staticmethod
    def candidate(sentence: str) -> bool:
        """Worth embedding: names a safety topic and carries no negation."""
        text = fold(sentence)
        return bool(_TOPIC.search(text)) and not _NEGATION.search(text)

    def scores(self, sentences: Sequence[str]) -> list[tuple[float, float]]:
        """(closest defeat similarity, closest legitimate similarity) per sentence."""
        import numpy as np

        if not sentences:
            return []
        defeat, legit = self._exemplars()
        vecs = np.asarray(self.embedder.embed_batch(list(sentences)), dtype=np.float32)
        return list(zip((vecs @ defeat.T).max(axis=1).tolist(), (vecs @ legit.T).max(axis=1).tolist()))

    def flags(self, sentences: Sequence[str]) -> list[bool]:
        """Whether each sentence reads as defeat advice (candidates only)."""
        idx = [i for i, s in enumerate(sentences) if self.candidate(s)]
        out = [False] * len(sentences)
        for i, (d, g) in zip(idx, self.scores([sentences[i] for i in idx])):
            out[i] = d >= self.threshold and d - g >= self.margin
        return out
