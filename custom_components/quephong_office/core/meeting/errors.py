"""The error the meeting-room core raises for bad input."""

from __future__ import annotations

from custom_components.quephong_office.core.errors import CodedError


class MeetingError(CodedError):
    """Bad meeting-room input: `code` is a translation key, `field` the field or item it is about.

    Codes: endpoint_required, unsupported_scheme, invalid_host, invalid_port, invalid_timeout,
    invalid_entity_id, unsupported_domain, unknown_option, invalid_state, invalid_source,
    invalid_hvac_mode, invalid_temperature, conflicting_options, target_required,
    end_before_start, naive_datetime, invalid_lead_time, invalid_grace, invalid_name,
    invalid_prefix, invalid_payload, unsupported_version.
    """
