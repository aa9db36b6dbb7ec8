"""Sending one text through Twilio's Python SDK. Tests pass a capturing HTTP client, so the
real SDK builds the real request and nothing reaches the network."""

from __future__ import annotations

from twilio.http import HttpClient
from twilio.rest import Client

from survey_app.services.sms import Sender


def twilio_sender(account_sid: str, auth_token: str, from_number: str, status_callback: str | None,
                  http_client: HttpClient | None = None) -> Sender:
    client = Client(account_sid, auth_token, http_client=http_client)

    def send(to: str, body: str) -> str:
        extra = {"status_callback": status_callback} if status_callback else {}
        return client.messages.create(to=to, from_=from_number, body=body, **extra).sid

    return send
