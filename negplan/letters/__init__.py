"""Follow-up letters (SPEC §9): what they say, rendered like agreements, checked by ``verify``.

* ``wording``: each letter's paragraphs, from a follow-up action and the agreed terms;
* ``document``: the letter's record, fingerprint and Markdown, HTML or PDF;
* ``verify``: ``negplan verify`` for letters (agreements are passed to ``negplan.agreement``);
* ``calendar``: the actions and due dates as an iCalendar file.
"""
