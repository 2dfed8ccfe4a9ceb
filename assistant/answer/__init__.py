"""The answer pipeline: a question, its retrieval and evidence, generation (a model or the extractive composer), the grounding and citation checks, and the cited answer."""
