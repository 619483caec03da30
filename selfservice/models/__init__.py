from selfservice.models.door import *  # noqa: F403
from selfservice.models.feedback import *  # noqa: F403
