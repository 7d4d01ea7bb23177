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
    def __init__(self):
        super().__init__("该记录已被其他人修改,请刷新后重新编辑(您填写的内容仍保留在窗口中)。")
