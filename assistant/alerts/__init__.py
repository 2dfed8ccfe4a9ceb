"""From a monitor's alert to what an engineer needs: FMEA candidates, similar past faults, the fault report (Markdown, HTML, PDF, plot) and fleet statistics."""
