# The English interface keeps the Vietnamese conventions (06/02/2027, 1.250,5): the data, the
# printed reports and their readers are in Vietnam whatever language the screen is in.
from civic_labour.formats.vi.formats import *  # noqa: F403
