"""Every indicator, defined once. Importing this package registers them all (in this order:
the dashboard's sections follow it)."""

# The order is the dashboard's, not the alphabet's.
# isort: off
from oppfolging.indicators.definitions import process  # noqa: F401
from oppfolging.indicators.definitions import plans  # noqa: F401
from oppfolging.indicators.definitions import structure  # noqa: F401
from oppfolging.indicators.definitions import results  # noqa: F401
from oppfolging.indicators.definitions import outcomes  # noqa: F401
