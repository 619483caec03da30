"""An SMS backend for the Celery integration tests: one line per message in a file.

``MINQING_SMS_FILE`` names the file; ``MINQING_SMS_DELAY`` seconds pass before the line is written,
so a test can kill the worker in the middle of a send.
"""

import os
import time


class FileSMSBackend:
    def send(self, *, phone, text, key):
        time.sleep(float(os.environ.get("MINQING_SMS_DELAY", "0")))
        with open(os.environ["MINQING_SMS_FILE"], "a", encoding="utf-8") as out:
            out.write(f"{key}\n")
