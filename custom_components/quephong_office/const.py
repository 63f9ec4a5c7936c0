"""Constants of the quephong_office integration."""

from __future__ import annotations

import logging
from typing import Final

DOMAIN: Final = "quephong_office"
LOGGER = logging.getLogger(__package__)

# Office entry (data)
CONF_LEVEL: Final = "level"
CONF_PARENT_UNIT: Final = "parent_unit"
CONF_UNIT_CODE: Final = "unit_code"
CONF_PRESET: Final = "preset"

# Camera subentry
SUBENTRY_CAMERA: Final = "camera"
CONF_ROLE: Final = "role"
CONF_SOURCE: Final = "source"
#: Who analyses a camera: this Home Assistant, a vision worker over MQTT, or Frigate.
CONF_ANALYSIS: Final = "analysis"
ANALYSIS_EMBEDDED: Final = "embedded"
ANALYSIS_WORKER: Final = "worker"
#: Frigate already analyses the camera: its MQTT person counts feed the zones. The camera's
#: Frigate name is `CONF_FRIGATE_CAMERA` (default: the camera's name slugified); a zone's
#: Frigate zone is its own name slugified (`Quầy 1` → `quay_1`).
ANALYSIS_FRIGATE: Final = "frigate"
#: A worker's camera without a state message for this long (s) counts as down.
WORKER_STALE_AFTER: Final = 30.0
CONF_STREAM_URL: Final = "stream_url"
CONF_SUBSTREAM_URL: Final = "substream_url"
CONF_STILL_IMAGE_URL: Final = "still_image_url"
CONF_CHANNEL: Final = "channel"
CONF_RTSP_PORT: Final = "rtsp_port"
CONF_CAMERA_ENTITY: Final = "camera_entity"

# Zone subentry
SUBENTRY_ZONE: Final = "zone"
CONF_CAMERA: Final = "camera"
CONF_KIND: Final = "kind"
CONF_COORDINATES: Final = "coordinates"
#: The zone kind that is never analysed (a privacy mask), besides the analysed kinds.
KIND_PRIVACY_MASK: Final = "privacy_mask"

#: Seconds a connection test or a snapshot may take before the camera counts as unreachable.
CONNECT_TIMEOUT: Final = 10.0
#: A snapshot taken from the stream is reused for this many seconds.
SNAPSHOT_MAX_AGE: Final = 5.0

#: Largest snapshot accepted from a camera's snapshot URL (bytes).
MAX_STILL_IMAGE: Final = 10 * 1024 * 1024

#: What a camera's analysis has learned is saved this often (seconds) and at unload.
STATE_SAVE_INTERVAL: Final = 300.0

ISSUE_CAMERA_DOWN: Final = "camera_unreachable"
#: A removed staff member's records are kept; the issue offers to purge them.
ISSUE_STAFF_RECORDS: Final = "staff_records"

# Zone subentry: which rules watch the zone (asked once the kind is known)
CONF_GATHERINGS: Final = "gatherings"
CONF_AFTER_HOURS: Final = "after_hours"

# Staff subentry
SUBENTRY_STAFF: Final = "staff"
CONF_POSITION: Final = "position"
CONF_DEPARTMENT: Final = "department"
CONF_DESK: Final = "desk"
CONF_ZALO_USER_ID: Final = "zalo_user_id"
CONF_PHONE: Final = "phone"
CONF_EMAIL: Final = "email"
CONF_PRESENCE_ENTITIES: Final = "presence_entities"
CONF_FRIGATE_NAME: Final = "frigate_name"
#: Also a camera subentry's field: the camera's name in Frigate (analysis by Frigate).
CONF_FRIGATE_CAMERA: Final = "frigate_camera"
#: The desk value meaning "no desk assigned".
NO_DESK: Final = "none"

# Options: per-year calendar overrides (a list of CalendarOverride.to_dict())
CONF_OVERRIDES: Final = "overrides"

#: Bus events, documented in the README (their payloads are a public contract).
EVENT_VIOLATION: Final = "quephong_office_violation"
EVENT_VIOLATION_DISMISSED: Final = "quephong_office_violation_dismissed"

#: How often the rules' figures (unattended minutes, staffed share) refresh between events.
RULES_REFRESH_INTERVAL: Final = 60.0
#: The rules' store is written this many seconds after a change (and at unload).
RULES_SAVE_DELAY: Final = 5.0

#: Frigate's MQTT topics (face recognition sets `sub_label`).
FRIGATE_EVENTS_TOPIC: Final = "frigate/events"
FRIGATE_TRACKED_TOPIC: Final = "frigate/tracked_object_update"
#: Frigate's MQTT topic prefix (its default; a custom prefix is not supported yet).
FRIGATE_PREFIX: Final = "frigate"

# Evidence (options)
CONF_RETENTION_DAYS: Final = "evidence_retention_days"
CONF_LEADERS: Final = "leaders"
CONF_TEMPLATES: Final = "templates"
CONF_RULE: Final = "rule"
#: Evidence is kept this many days unless the office's own rule says otherwise.
DEFAULT_RETENTION_DAYS: Final = 180

# Reminder channels (subentries)
SUBENTRY_CHANNEL: Final = "channel"
CONF_TLS: Final = "tls"
CONF_SENDER: Final = "sender"
CONF_SENDER_NAME: Final = "sender_name"
CONF_LEADER_EMAILS: Final = "leader_emails"
#: A reminder that keeps failing is retried after these delays (seconds), then given up.
RETRY_DELAYS: Final = (60, 300, 900, 3600, 3600)
#: Reminders (not intrusion alerts) wait outside these hours (local time).
SEND_FROM_HOUR: Final = 6
SEND_UNTIL_HOUR: Final = 21
ISSUE_CHANNEL_FAILING: Final = "channel_failing"
CONF_CHANNEL_KIND: Final = "kind"
CHANNEL_EMAIL: Final = "email"
CHANNEL_ZALO_OA: Final = "zalo_oa"
CHANNEL_ZALO_BOT: Final = "zalo_bot"
CHANNEL_HA_NOTIFY: Final = "ha_notify"
#: Not a channel of its own: ZNS messages are sent by a Zalo OA channel.
CHANNEL_ZNS: Final = "zns"
CHANNEL_KINDS: Final = (CHANNEL_EMAIL, CHANNEL_ZALO_OA, CHANNEL_ZALO_BOT, CHANNEL_HA_NOTIFY)
#: ZNS is sent by an OA channel; its routes use the channel's key with this suffix.
ZNS_SUFFIX: Final = "#zns"
CONF_BUSINESS_BASE: Final = "business_base"
CONF_ZNS_TEMPLATE: Final = "zns_template_id"
CONF_ZNS_MAPPING: Final = "zns_mapping"
CONF_BOT_TOKEN: Final = "bot_token"
CONF_BOT_BASE: Final = "bot_base"
CONF_BOT_CHATS: Final = "chat_ids"
CONF_SERVICE: Final = "service"
#: The channel key of push notifications through the Companion app (not a subentry).
PUSH: Final = "companion"
CONF_APP_ID: Final = "app_id"
CONF_SECRET_KEY: Final = "secret_key"
CONF_ACCESS_TOKEN: Final = "access_token"
CONF_REFRESH_TOKEN: Final = "refresh_token"
CONF_OAUTH_BASE: Final = "oauth_base"
CONF_OPENAPI_BASE: Final = "openapi_base"
CONF_TOKEN_KEY: Final = "token_key"
ISSUE_ZALO_REAUTH: Final = "zalo_reauth"
ISSUE_ZALO_RECIPIENT: Final = "zalo_recipient"

# Meeting rooms
SUBENTRY_MEETING_ROOM: Final = "meeting_room"
CONF_CALENDAR: Final = "calendar"
CONF_KEYWORD: Final = "keyword"
CONF_LEAD: Final = "lead_minutes"
CONF_GRACE: Final = "grace_minutes"
CONF_DEVICES: Final = "devices"
CONF_MEDIA_SOURCE: Final = "media_source"
CONF_HVAC_MODE: Final = "hvac_mode"
CONF_TEMPERATURE: Final = "temperature"
CONF_PARTICIPANTS: Final = "participants"
CONF_COMMUNES: Final = "communes"

# Reports
CONF_MONTHLY_REPORT: Final = "monthly_report"
CONF_REPORT_PLACE: Final = "report_place"
CONF_REPORT_SIGNING: Final = "report_signing"
CONF_REPORT_SIGNER: Final = "report_signer"
