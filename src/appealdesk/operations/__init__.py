"""The use-case layer: every operation that changes a case, once, for the CLI and the app.

Each takes the ``Workspace`` first and the case id second, and raises the stage's
own one-line error; the front ends only read input and word the result.

- ``intake``: ``create_case``
- ``status``: ``change_status``
- ``letters``: ``save_letter`` (with the conflict -> new version rule), ``draft``, ``render``
- ``submissions``: ``submit``, ``outcome``, ``followup_done``
- ``evidence``: ``add``, ``set_facts``, ``remove``, ``waive``, ``unwaive``, ``bundle``
- ``reports``: ``import_report``

The modules are imported by name (``from appealdesk.operations import letters``) and
called as ``letters.render(...)``, so one patch in a test reaches both front ends.
"""
