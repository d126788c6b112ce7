"""Imports every domain's models so ``Base.metadata`` knows all tables (Alembic, tests)."""

from app.audit import models as audit  # noqa: F401
from app.auth import models as auth  # noqa: F401
from app.commissioners import models as commissioners  # noqa: F401
from app.contracts import models as contracts  # noqa: F401
from app.cooperation import models as cooperation  # noqa: F401
from app.enterprises import models as enterprises  # noqa: F401
from app.http import counts, idempotency  # noqa: F401
from app.indicators import models as indicators  # noqa: F401
from app.ip_rights import models as ip_rights  # noqa: F401
from app.pipeline import models as pipeline  # noqa: F401
from app.platforms import models as platforms  # noqa: F401
from app.publicity import models as publicity  # noqa: F401
from app.stats import models as stats  # noqa: F401
from app.visits import models as visits  # noqa: F401
