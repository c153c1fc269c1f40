"""A logging filter that keeps personal data out of the logs (DESIGN §8).

It replaces e-mail addresses and melding tracking codes in the formatted message (Django's
request log puts the path, and so a status page's code, in its message). Pure Python: the
logging configuration imports it before Django's apps are ready.
"""

from __future__ import annotations

import logging
import re

EMAIL = re.compile(r"[^\s@<>()\"',;:]+@[^\s@<>()\"',;:]+\.[A-Za-z]{2,}")
TRACKING_CODE = re.compile(r"vk-[a-z2-7]{16}", re.IGNORECASE)


def scrub(text: str) -> str:
    """
    >>> scrub("Not Found: /meldingen/vk-abcdefghijklmnop from a@b.nl")
    'Not Found: /meldingen/vk-[volgcode] from [e-mail]'
    """
    return TRACKING_CODE.sub("vk-[volgcode]", EMAIL.sub("[e-mail]", text))


class ScrubPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a broken format string: keep the record as it is
            return True
        clean = scrub(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        return True
