"""The command line's JSON contracts (issue 2 and 6), shared by the tests that check them."""

# heatbounds derive MODEL --format json: the top-level keys, for built-in models and files alike.
DERIVE_JSON_KEYS = {
    "model",
    "moment",
    "convention",
    "sum_rule",
    "current_bound",
    "conductance_bound",
    "parameters",
    "expectations",
}
