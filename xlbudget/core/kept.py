"""Package data files read by every process, kept as this interpreter loads them fastest (issue 13, start-up).

pattern-code.json (390 kB) took 9.6 M instructions of every command's start to parse and xlsx-looks.json (36 kB)
3.5 M; marshal loads the same values in 1.8 M and 0.5 M (callgrind). Python keeps a module's code so in
``__pycache__``; ``parsed_json`` keeps a data file's values there the same way. The files in git stay JSON text.
"""

from __future__ import annotations

import sys


def parsed_json(path):
    """The JSON file at ``path`` as ``json.loads`` gives it: from what this interpreter kept of it, marshalled, in
    ``__pycache__`` beside it, when that was kept for these very bytes (their length and CRC-32); else parsed, and
    kept for the next process (written to a file of its own, then renamed over the last: two processes at once each
    write a whole one). Not kept where it cannot be written (a read-only install): parsed each time, as before.
    OSError when the file cannot be read, ValueError when it is no JSON, as json's."""
    import marshal
    import os
    import zlib

    with open(path, "rb") as stored:
        text = stored.read()
    stamp = (len(text), zlib.crc32(text))
    folder, name = os.path.split(os.fspath(path))
    kept = os.path.join(folder, "__pycache__", f"{name}.{sys.implementation.cache_tag}.marshal")
    try:
        with open(kept, "rb") as cached:
            found = marshal.loads(cached.read())
        if type(found) is tuple and len(found) == 2 and found[0] == stamp and type(found[1]) is dict:
            return found[1]
    except (OSError, ValueError, EOFError, TypeError):  # none kept, or not one marshal reads: parsed again
        pass
    import json

    data = json.loads(text)
    part = f"{kept}.{os.getpid()}"
    try:
        os.makedirs(os.path.dirname(kept), exist_ok=True)
        with open(part, "wb") as cached:
            cached.write(marshal.dumps((stamp, data)))
        os.replace(part, kept)
    except (OSError, ValueError):  # a read-only folder (or data marshal cannot write): parsed each time, as before
        try:
            os.unlink(part)
        except OSError:
            pass
    return data
