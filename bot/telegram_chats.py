"""The ChatDirectory port over Telegram: who administers a chat, asked fresh."""

from __future__ import annotations

import logging

from telegram import Bot
from telegram.constants import ChatMemberStatus
from telegram.error import BadRequest, Forbidden

from models.core import ChatRef
from models.ports import ChatStanding

log = logging.getLogger(__name__)


class TelegramChats:
    """Answers permission questions with Telegram's own chat-member data."""

    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def is_administrator(self, chat: ChatRef, external_id: str) -> bool:
        """Whether the user is creator or administrator of the chat right now."""
        try:
            member = await self._bot.get_chat_member(int(chat.chat_id), int(external_id))
        except (BadRequest, Forbidden) as err:
            log.info("could not check administrator status: %s", err.message)
            return False
        return member.status in {ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR}

    async def standing(self, chat: ChatRef, external_id: str) -> ChatStanding:
        """Administrator (or creator), member, or absent (left, banned, unknown) right now."""
        try:
            member = await self._bot.get_chat_member(int(chat.chat_id), int(external_id))
        except (BadRequest, Forbidden) as err:
            log.info("could not check chat membership: %s", err.message)
            return "absent"
        if member.status in {ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR}:
            return "administrator"
        if member.status == ChatMemberStatus.MEMBER:
            return "member"
        if member.status == ChatMemberStatus.RESTRICTED and getattr(member, "is_member", False):
            return "member"
        return "absent"
