"""Personal data never leaves the machine in clear: placeholders before an external model, real values after.

`policy` says which models need it, `detector` finds personal data (Presidio, spaCy, UK recognisers),
`pseudonyms` swaps it for placeholders and back, one consistent set per draft.
"""
