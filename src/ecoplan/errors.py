"""The one error type that reaches the user: input that cannot be used (exit code 2)."""

from __future__ import annotations


class InputError(Exception):
    """A file, sheet, cell, rule or option that cannot be used.

    `where` names the place (``data/x.xlsx: 指标数据!D7`` or ``rules/x.yaml:12:5``); the message says what is
    wrong and what was expected. The CLI prints ``where: message`` and exits with code 2.
    """

    def __init__(self, message: str, where: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.where = where

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message

    def within(self, path: str) -> str | None:
        """`where` inside the file `path` — the sheet or cell (``指标数据!D7``) —, or None when it names only the
        file or no place in it (an option such as --pack)."""
        if self.where is None or self.where == path or self.where.startswith("--"):
            return None
        return self.where.removeprefix(f"{path}: ")


# The one message for a workbook saved with a password, whatever its container (.xls, .xlsx in OLE2, .ods).
ENCRYPTED = "工作簿设有打开密码（已加密），无法读取；请在 Excel 或 WPS 中取消密码后另存一份提交"
