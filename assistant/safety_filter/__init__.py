"""The last check on an answer's text: no advice to defeat a safety device (rules, a small trained classifier and an opt-in semantic part)."""
