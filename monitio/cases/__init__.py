"""Cases and escalations: workflow, SLAs, evidence links, decisions, merges."""
