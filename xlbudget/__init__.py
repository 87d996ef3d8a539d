"""xlbudget: 單位預算書 (Taiwanese government unit budget books) from line items, in Excel."""

__version__ = "0.1.0"
