"""N_ marks a literal for translation where it is defined; it is translated where it is shown."""


def N_(text: str) -> str:  # noqa: N802 (gettext's conventional name)
    return text
