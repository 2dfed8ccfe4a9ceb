"""The assistant: retrieval-augmented answers, and the front ends (CLI, UI, API)."""
