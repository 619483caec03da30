"""The core: org units and people, categories, cases, the workflow, deadlines and escalation."""
