"""Errors raised by the worksheet functions."""


class InputError(ValueError):
    """Bad input to a worksheet function; the message is Chinese and says what was wrong."""
