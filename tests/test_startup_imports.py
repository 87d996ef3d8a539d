"""What a command imports before it reads a book (issue 13, start-up): a template book's build, convert, check and
export need no printed-table reader (about 3 % of build's instructions: five dataclasses and the page patterns)."""

import subprocess
import sys

PATHS = ("xlbudget.cli", "xlbudget.app.pipeline", "xlbudget.app.splicebuild", "xlbudget.app.convert",
         "xlbudget.rules.checks", "xlbudget.adapters.books", "xlbudget.adapters.xlsxbook")
PRINTED = ("xlbudget.readers.printed_model", "xlbudget.readers.printed_pages", "xlbudget.readers.printed",
           "xlbudget.readers.printed_rows", "difflib")


def test_the_template_paths_import_no_printed_reader():
    code = ("import sys\n" + "".join(f"import {m}\n" for m in PATHS)
            + f"print(','.join(m for m in {PRINTED!r} if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
