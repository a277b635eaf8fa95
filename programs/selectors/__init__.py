"""Reusable read queries, with the joins and prefetches their pages need.

One module per area; everything is re-exported here so views write ``selectors.<name>``.
"""

from .calendar import *  # noqa: F403
from .compliance import *  # noqa: F403
from .home import *  # noqa: F403
from .logbook import *  # noqa: F403
from .notifications import *  # noqa: F403
from .opinions import *  # noqa: F403
from .places import *  # noqa: F403
from .reviews import *  # noqa: F403
from .sessions import *  # noqa: F403
