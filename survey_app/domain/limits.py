"""How long a typed value may be, and how big a whole number: one table for the forms, the services
and the store's columns.

A limit for a value stored in a column of its own is that column's length (a test compares each
form field with its column, so they cannot drift). A value kept encrypted, or never stored, has a
limit chosen to be generous for a person and small for a machine.
"""

from __future__ import annotations

# Whole numbers in INTEGER columns (both engines): 32-bit signed.
INTEGER_MIN, INTEGER_MAX = -2 ** 31, 2 ** 31 - 1

SITE_PREFIX = "site:"  # the audit entry's subject for a new site: "site:<name>", in a column of 100
SITE_NAME = 100 - len(SITE_PREFIX)  # sites.name holds 100; the audit subject is the tighter one
STAFF_NAME = 200  # staff.name
EMAIL = 254  # staff.email (RFC 5321's longest address)
INTERPRETER_ID = 40  # administrations.interpreter, consent_events.interpreter
SPOKEN_LANGUAGE = 80  # a language's name as typed; the tag kept is checked against the known ones
BARRIER = 300  # barriers.description
SMS_WORDING = 300  # sms_templates.text
STUDY_ID_TYPED = 20  # a study id as typed (spaces, dashes, any case); the column holds the normalised 9
PERSON_NAME = 200  # encrypted
PHONE = 30  # encrypted
NEVER_SAY = 1000  # encrypted
CLOSURE_REASON = 1000
PASSWORD = 1024  # never stored (only its hash), bounded so hashing stays cheap
CODE = 20  # a one-time or access code as typed
TRANSLATION_FILE = 1_000_000  # a checked translation file, sent back with the publish form
TEXT = 1000  # any other text field that does not say otherwise
