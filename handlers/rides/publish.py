"""Drivers publishing a ride: the channel-neutral flow (models/rides/publish_flow.py), served
to Telegram. "🚙 Ik rijd" on the rides page starts it (its "new" button)."""

from __future__ import annotations

from handlers import flows
from models.rides.publish_flow import PublishFlow

PUBLISH = flows.serve(lambda services: PublishFlow(services.rides, services.clock), PublishFlow)
