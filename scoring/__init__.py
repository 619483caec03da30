"""The reader: indicators, rules, evidence, the quarterly ledger, stars and reports."""
