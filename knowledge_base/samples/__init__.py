"""Sample knowledge base: fictional service manuals, fault log and gold questions (see README.md)."""
