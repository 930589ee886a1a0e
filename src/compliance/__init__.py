"""compliance: rule-based checks of public-expenditure performance evaluations.

Records of an evaluated project are loaded from YAML, rules written in YAML are
compiled into durable-rules rulesets, and the engine's matches become findings
with their evidence and the recommendations that answer them.
"""

__version__ = "0.1.0"
