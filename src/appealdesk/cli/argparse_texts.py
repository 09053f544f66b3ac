"""argparse's own texts (``usage:``, ``error:``, ``options`` ...), marked for our catalog.

argparse translates them with the module-level ``_`` it imported from gettext;
cli/__init__.py points that at ``appealdesk.i18n._``, so `appealdesk --lang zh`
speaks Chinese in argparse's lines too. Babel does not read the standard
library, so the msgids are listed here with the no-op marker ``N_`` (Python
3.11's wording; a text missing here simply stays English).
"""

from appealdesk.i18n import N_

ARGPARSE_TEXTS = (
    # argparse:
    N_("usage: "),
    # argparse:
    N_("positional arguments"),
    # argparse:
    N_("options"),
    # argparse:
    N_("show this help message and exit"),
    # argparse:
    N_("%(prog)s: error: %(message)s\n"),
    # argparse:
    N_("argument %(argument_name)s: %(message)s"),
    # argparse:
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    # argparse:
    N_("invalid %(type)s value: %(value)r"),
    # argparse:
    N_("the following arguments are required: %s"),
    # argparse:
    N_("unrecognized arguments: %s"),
    # argparse:
    N_("expected one argument"),
    # argparse:
    N_("expected at most one argument"),
    # argparse:
    N_("expected at least one argument"),
    # argparse:
    N_("ambiguous option: %(option)s could match %(matches)s"),
    # argparse:
    N_("not allowed with argument %s"),
    # argparse:
    N_("one of the arguments %s is required"),
    # argparse:
    N_("ignored explicit argument %r"),
    # argparse:
    N_("unexpected option string: %s"),
    # argparse:
    N_("can't open '%(filename)s': %(error)s"),
)
