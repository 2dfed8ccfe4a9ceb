"""Monitors: streaming anomaly detectors on sensor streams that raise alerts."""
