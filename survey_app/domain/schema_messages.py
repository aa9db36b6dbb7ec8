"""Turn JSON Schema errors into sentences an admin can act on."""

from __future__ import annotations

from jsonschema.exceptions import ValidationError

PATTERN_HINTS = {
    "^[a-z][a-z0-9_]*$": "must be lower-case letters, digits and underscores, starting with a letter (for example practitioner_name)",
    "^[0-9]+\\.[0-9]+$": "must be a version number such as \"1.0\", written in quotes",
    "^-?[0-9]+(\\.[0-9]+)?$": "must be a number written in quotes, such as \"20.73\" (quotes keep decimals exact)",
    "^-?[0-9]+$": "must be a whole number",
    "^[0-9]+$": "must be an item number",
    "^[A-Za-z][A-Za-z0-9_]*$": "must be a short code of letters and digits, such as U or J2",
}

TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a group of named fields",
    "null": "empty (null)",
}


def explain(error: ValidationError) -> str:
    validator = error.validator
    value = error.validator_value
    instance = error.instance
    if validator == "required":
        missing = [name for name in value if isinstance(instance, dict) and name not in instance]
        return f"'{missing[0] if missing else value}' is missing here; it is required."
    if validator == "additionalProperties":
        extra = sorted(set(instance) - set(error.schema.get("properties", {})))
        known = ", ".join(sorted(error.schema.get("properties", {})))
        return (f"'{extra[0] if extra else '?'}' is not a field this format knows. Check its spelling; "
                f"the fields allowed here are: {known}.")
    if validator == "enum":
        return f"{instance!r} is not allowed here. Use one of: {', '.join(map(repr, value))}."
    if validator == "const":
        return f"{instance!r} is not allowed here; it must be {value!r}."
    if validator == "type":
        wanted = " or ".join(TYPE_WORDS.get(t, t) for t in ([value] if isinstance(value, str) else value))
        return f"This should be {wanted}, but it is {_describe_value(instance)}."
    if validator == "pattern":
        hint = PATTERN_HINTS.get(value, f"must match the pattern {value}")
        return f"{instance!r} {hint}."
    if validator == "propertyNames":
        return f"The name {instance!r} is not allowed here."
    if validator in ("minItems", "minProperties"):
        return f"This list needs at least {value} entr{'y' if value == 1 else 'ies'}."
    if validator == "minLength":
        return "This must not be empty."
    if validator == "uniqueItems":
        return "This list has the same value more than once."
    if validator in ("minimum", "maximum"):
        return f"{instance!r} is {'below the minimum' if validator == 'minimum' else 'above the maximum'} of {value}."
    if validator == "oneOf" and "reliable_change" in error.absolute_path:
        return "Give either 'sem', or both 'sd' and 'reliability' (not both ways)."
    if validator == "not":
        return "These fields cannot be used together here."
    return error.message


def _describe_value(instance) -> str:
    if instance is None:
        return "empty"
    if isinstance(instance, bool):
        return f"{str(instance).lower()} (true/false)"
    if isinstance(instance, (int, float)):
        return f"the number {instance}"
    if isinstance(instance, str):
        return f"the text {instance!r}"
    if isinstance(instance, list):
        return "a list"
    return "a group of fields"


def best_errors(errors: list[ValidationError]) -> list[ValidationError]:
    """Keep the most specific error for each place, so one slip gives one message."""
    from jsonschema.exceptions import best_match

    by_place: dict[tuple, list[ValidationError]] = {}
    for error in errors:
        by_place.setdefault(tuple(error.absolute_path), []).append(error)
    chosen = [best_match(group) for group in by_place.values()]
    return sorted(chosen, key=lambda e: [str(p) for p in e.absolute_path])
