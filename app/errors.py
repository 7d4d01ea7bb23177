"""Errors a user can act on. Messages are Chinese; field errors say which field and what to do."""
from __future__ import annotations


class UserError(Exception):
    """Base for problems shown to the user as they are (Chinese text)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
        from app.logs import refused

        refused(self)  # every refusal in the log at INFO, with the user (its text only at DEBUG)


class ValidationFailed(UserError):
    def __init__(self, errors: dict[str, str]):
        super().__init__(";".join(errors.values()))
        self.errors = errors


class DuplicateFound(UserError):
    """Creating would duplicate existing customers; candidates are (id, code, name, why)."""

    def __init__(self, candidates: list):
        names = "、".join(f"{c.name}({c.code})" for c in candidates[:3])
        super().__init__(f"发现可能重复的客户:{names}。可打开已有客户或合并。")
        self.candidates = candidates


class NotFound(UserError):
    pass


class StaleEdit(UserError):
    """Another desk saved first (已被他人修改): the message shows both versions, the stored one and the
    one this user typed, so nothing is lost and the user can decide field by field."""

    def __init__(self, *, what: str = "该记录", expected: int | None = None, found: int | None = None,
                 differences: list[tuple[str, str, str]] | None = None):
        self.expected, self.found = expected, found
        self.differences = differences or []  # (field label, stored now, what this user typed)
        head = f"{what}已被他人修改"
        if expected is not None and found is not None:
            head += f"(您编辑的是第{expected}版,现已是第{found}版)"
        lines = [head + "。"]
        for label, theirs, mine in self.differences:
            lines.append(f"{label}:他人保存为“{theirs}”,您填写的是“{mine}”")
        lines.append("您填写的内容仍保留在窗口中,请核对后重新保存。")
        super().__init__("\n".join(lines))
