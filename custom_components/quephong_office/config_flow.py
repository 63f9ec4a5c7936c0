"""Set up an office in the UI: the office itself, its working hours, cameras and zones.

One config entry is one office, identified by its administrative-unit code. Working hours,
rule graces and announced days are options (options_flow.py); cameras, zones and staff
members (staff_flow.py) are config subentries of the office. Every form validates all its
fields before anything is saved, and each bad value gets its own translated error on the
field it belongs to.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import partial
from typing import Any

import httpx
from homeassistant.config_entries import (
    ConfigEntry,
    ConfigEntryState,
    ConfigFlow,
    ConfigFlowResult,
    ConfigSubentryFlow,
    SubentryFlowResult,
)
from homeassistant.const import CONF_HOST, CONF_NAME, CONF_PASSWORD, CONF_USERNAME
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import selector
from homeassistant.util import slugify

from .camera_runtime import StillImageAuthError, async_fetch_still_image
from .channel_flow import ChannelSubentryFlow
from .compat import vol
from .const import (
    ANALYSIS_EMBEDDED,
    ANALYSIS_FRIGATE,
    ANALYSIS_WORKER,
    CONF_AFTER_HOURS,
    CONF_ANALYSIS,
    CONF_CAMERA,
    CONF_CAMERA_ENTITY,
    CONF_CHANNEL,
    CONF_COORDINATES,
    CONF_FRIGATE_CAMERA,
    CONF_GATHERINGS,
    CONF_KIND,
    CONF_LEVEL,
    CONF_PARENT_UNIT,
    CONF_PRESET,
    CONF_ROLE,
    CONF_RTSP_PORT,
    CONF_SOURCE,
    CONF_STILL_IMAGE_URL,
    CONF_STREAM_URL,
    CONF_SUBSTREAM_URL,
    CONF_UNIT_CODE,
    CONNECT_TIMEOUT,
    DOMAIN,
    KIND_PRIVACY_MASK,
    SUBENTRY_CAMERA,
    SUBENTRY_CHANNEL,
    SUBENTRY_MEETING_ROOM,
    SUBENTRY_STAFF,
    SUBENTRY_ZONE,
)
from .core.calendar import (
    PRESETS,
    schedule_to_dict,
)
from .core.cameras import (
    STILL_SCHEMES,
    STREAM_SCHEMES,
    CameraConfig,
    CameraRole,
    CameraUrlError,
    SourceKind,
    check_url,
    preset_urls,
)
from .core.office import OfficeError, OfficeLevel, normalize_name, normalize_unit_code
from .core.vision.probe import ProbeError, SourceAuthError, grab_snapshot
from .core.vision.zones import ZoneError, ZoneKind, format_coordinates, parse_coordinates
from .flow_fields import PASSWORD, TEXT, URL, hours_schema, select_field, validate_hours
from .meeting_flow import MeetingRoomSubentryFlow
from .options_flow import OfficeOptionsFlow
from .preview import draw_layout, publish_preview
from .runtime import default_after_hours, default_gatherings, zones_of
from .staff_flow import StaffSubentryFlow


def _office_schema(defaults: Mapping[str, Any], *, with_code: bool) -> vol.Schema:
    fields: dict[vol.Marker, Any] = {
        vol.Required(CONF_NAME, default=defaults.get(CONF_NAME, "")): TEXT,
        vol.Required(
            CONF_LEVEL, default=defaults.get(CONF_LEVEL, OfficeLevel.COMMUNE)
        ): select_field([level.value for level in OfficeLevel], CONF_LEVEL),
        vol.Optional(
            CONF_PARENT_UNIT, description={"suggested_value": defaults.get(CONF_PARENT_UNIT)}
        ): TEXT,
    }
    if with_code:
        fields[vol.Required(CONF_UNIT_CODE, default=defaults.get(CONF_UNIT_CODE, ""))] = TEXT
        fields[vol.Required(CONF_PRESET, default=defaults.get(CONF_PRESET, "nghe_an"))] = (
            select_field(list(PRESETS), CONF_PRESET)
        )
    return vol.Schema(fields)


def _validate_office(
    user_input: Mapping[str, Any], *, with_code: bool
) -> tuple[dict[str, Any], dict[str, str]]:
    """Clean the office fields; return the cleaned data and the errors per field."""
    errors: dict[str, str] = {}
    data: dict[str, Any] = {CONF_LEVEL: user_input[CONF_LEVEL]}
    try:
        data[CONF_NAME] = normalize_name(user_input[CONF_NAME])
    except OfficeError as err:
        errors[err.field] = err.code
    parent = " ".join(str(user_input.get(CONF_PARENT_UNIT) or "").split())
    if parent:
        data[CONF_PARENT_UNIT] = parent
    if with_code:
        try:
            data[CONF_UNIT_CODE] = normalize_unit_code(user_input[CONF_UNIT_CODE])
        except OfficeError as err:
            errors[err.field] = err.code
    return data, errors


class QuephongOfficeConfigFlow(ConfigFlow, domain=DOMAIN):
    """Create an office: who it is, then its working hours."""

    VERSION = 1
    MINOR_VERSION = 1

    def __init__(self) -> None:
        """Start with nothing entered."""
        self._office: dict[str, Any] = {}
        self._preset = "nghe_an"

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> OfficeOptionsFlow:
        """Edit the working hours of an office."""
        return OfficeOptionsFlow()

    @classmethod
    @callback
    def async_get_supported_subentry_types(
        cls, config_entry: ConfigEntry
    ) -> dict[str, type[ConfigSubentryFlow]]:
        """Cameras, their zones and the staff are added to an office as subentries."""
        return {
            SUBENTRY_CAMERA: CameraSubentryFlow,
            SUBENTRY_ZONE: ZoneSubentryFlow,
            SUBENTRY_STAFF: StaffSubentryFlow,
            SUBENTRY_CHANNEL: ChannelSubentryFlow,
            SUBENTRY_MEETING_ROOM: MeetingRoomSubentryFlow,
        }

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Name, level, parent unit, unit code and working-hours preset."""
        errors: dict[str, str] = {}
        if user_input is not None:
            data, errors = _validate_office(user_input, with_code=True)
            if not errors:
                await self.async_set_unique_id(data[CONF_UNIT_CODE])
                self._abort_if_unique_id_configured()
                self._office = data
                self._preset = user_input[CONF_PRESET]
                return await self.async_step_hours()
        return self.async_show_form(
            step_id="user",
            data_schema=self.add_suggested_values_to_schema(
                _office_schema(user_input or {}, with_code=True), user_input or {}
            ),
            errors=errors,
        )

    async def async_step_hours(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """The preset's working hours, to confirm or edit."""
        errors: dict[str, str] = {}
        defaults = schedule_to_dict(PRESETS[self._preset])
        if user_input is not None:
            options, errors = validate_hours(user_input)
            if not errors:
                return self.async_create_entry(
                    title=self._office[CONF_NAME], data=self._office, options=options
                )
            defaults = {**defaults, **{k: str(v) for k, v in user_input.items()}}
        return self.async_show_form(
            step_id="hours", data_schema=hours_schema(defaults), errors=errors
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the office's name, level or parent unit (the unit code stays)."""
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            data, errors = _validate_office(user_input, with_code=False)
            if not errors:
                data[CONF_UNIT_CODE] = entry.data[CONF_UNIT_CODE]
                self.hass.config_entries.async_update_entry(entry, title=data[CONF_NAME], data=data)
                return self.async_abort(reason="reconfigure_successful")
        defaults = user_input or entry.data
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(
                _office_schema(defaults, with_code=False), defaults
            ),
            errors=errors,
            description_placeholders={"unit_code": entry.data[CONF_UNIT_CODE]},
        )


# --- cameras ---------------------------------------------------------------------------------


async def async_test_camera(hass: HomeAssistant, config: CameraConfig) -> dict[str, str]:
    """Try the camera as configured; return translated error keys per form field."""
    if config.source is SourceKind.ENTITY:
        if config.camera_entity is None or hass.states.get(config.camera_entity) is None:
            return {CONF_CAMERA_ENTITY: "entity_not_found"}
        return {}
    url_field = CONF_HOST if config.source is not SourceKind.URL else CONF_STREAM_URL
    checks = [(url_field, config.authed(config.stream_url))]
    if config.substream_url and config.source is SourceKind.URL:
        checks.append((CONF_SUBSTREAM_URL, config.authed(config.substream_url)))
    for field_name, url in checks:
        assert url is not None
        try:
            await hass.async_add_executor_job(partial(grab_snapshot, url, timeout=CONNECT_TIMEOUT))
        except SourceAuthError:
            return {CONF_PASSWORD: "invalid_auth"}
        except ProbeError as err:
            return {field_name: err.code}
    if config.still_image_url:
        try:
            await async_fetch_still_image(
                hass, config.still_image_url, config.username, config.password
            )
        except StillImageAuthError:
            return {CONF_PASSWORD: "invalid_auth"}
        except httpx.HTTPError:
            field_name = CONF_STILL_IMAGE_URL if config.source is SourceKind.URL else CONF_HOST
            return {field_name: "still_image_failed"}
    return {}


#: What Frigate accepts as a camera name (and what is safe in an MQTT topic).
FRIGATE_CAMERA_NAME = re.compile(r"^[A-Za-z0-9_-]+$")


def _camera_base_schema(defaults: Mapping[str, Any]) -> vol.Schema:
    """Name, role, source and analysis; the Frigate camera name when Frigate analyses it."""
    fields: dict[vol.Marker, Any] = {
        vol.Required(CONF_NAME, default=defaults.get(CONF_NAME, "")): TEXT,
        vol.Required(CONF_ROLE, default=defaults.get(CONF_ROLE, CameraRole.ONE_STOP)): select_field(
            [role.value for role in CameraRole], CONF_ROLE
        ),
        vol.Required(CONF_SOURCE, default=defaults.get(CONF_SOURCE, SourceKind.URL)): select_field(
            [kind.value for kind in SourceKind], CONF_SOURCE
        ),
        vol.Required(
            CONF_ANALYSIS, default=defaults.get(CONF_ANALYSIS, ANALYSIS_EMBEDDED)
        ): select_field([ANALYSIS_EMBEDDED, ANALYSIS_WORKER, ANALYSIS_FRIGATE], CONF_ANALYSIS),
    }
    if defaults.get(CONF_ANALYSIS) == ANALYSIS_FRIGATE:
        suggested = defaults.get(CONF_FRIGATE_CAMERA) or slugify(str(defaults.get(CONF_NAME, "")))
        fields[
            vol.Optional(CONF_FRIGATE_CAMERA, description={"suggested_value": suggested or None})
        ] = TEXT
    return vol.Schema(fields)


def _credentials(defaults: Mapping[str, Any]) -> dict[vol.Marker, Any]:
    return {
        vol.Optional(
            CONF_USERNAME, description={"suggested_value": defaults.get(CONF_USERNAME)}
        ): TEXT,
        vol.Optional(
            CONF_PASSWORD, description={"suggested_value": defaults.get(CONF_PASSWORD)}
        ): PASSWORD,
    }


def _url_schema(defaults: Mapping[str, Any]) -> vol.Schema:
    return vol.Schema(
        {
            vol.Required(
                CONF_STREAM_URL, description={"suggested_value": defaults.get(CONF_STREAM_URL)}
            ): URL,
            vol.Optional(
                CONF_SUBSTREAM_URL,
                description={"suggested_value": defaults.get(CONF_SUBSTREAM_URL)},
            ): URL,
            vol.Optional(
                CONF_STILL_IMAGE_URL,
                description={"suggested_value": defaults.get(CONF_STILL_IMAGE_URL)},
            ): URL,
            **_credentials(defaults),
        }
    )


def _preset_schema(defaults: Mapping[str, Any]) -> vol.Schema:
    return vol.Schema(
        {
            vol.Required(CONF_HOST, description={"suggested_value": defaults.get(CONF_HOST)}): TEXT,
            vol.Required(CONF_CHANNEL, default=defaults.get(CONF_CHANNEL, 1)): vol.All(
                selector.NumberSelector(
                    selector.NumberSelectorConfig(
                        min=1, max=256, step=1, mode=selector.NumberSelectorMode.BOX
                    )
                ),
                vol.Coerce(int),
            ),
            vol.Required(CONF_RTSP_PORT, default=defaults.get(CONF_RTSP_PORT, 554)): vol.All(
                selector.NumberSelector(
                    selector.NumberSelectorConfig(
                        min=1, max=65535, step=1, mode=selector.NumberSelectorMode.BOX
                    )
                ),
                vol.Coerce(int),
            ),
            **_credentials(defaults),
        }
    )


def _entity_schema(defaults: Mapping[str, Any]) -> vol.Schema:
    return vol.Schema(
        {
            vol.Required(
                CONF_CAMERA_ENTITY,
                description={"suggested_value": defaults.get(CONF_CAMERA_ENTITY)},
            ): selector.EntitySelector(selector.EntitySelectorConfig(domain="camera")),
        }
    )


def _clean(user_input: Mapping[str, Any]) -> dict[str, Any]:
    """Drop empty optional values and stray blanks from a form."""
    out: dict[str, Any] = {}
    for key, value in user_input.items():
        cleaned = value.strip() if isinstance(value, str) else value
        if cleaned not in (None, ""):
            out[key] = cleaned
    return out


class CameraSubentryFlow(ConfigSubentryFlow):
    """Add or change a camera of an office: what it is, then how to reach it."""

    def __init__(self) -> None:
        """Start with nothing entered."""
        self._base: dict[str, Any] = {}
        self._frigate_asked = False

    def _existing(self) -> dict[str, Any]:
        if self.source == "reconfigure":
            subentry = self._get_reconfigure_subentry()
            return {CONF_NAME: subentry.title, **subentry.data}
        return {}

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> SubentryFlowResult:
        """Name, role and kind of source."""
        errors: dict[str, str] = {}
        defaults = user_input or self._existing()
        if user_input is not None:
            try:
                self._base = {
                    **user_input,
                    CONF_NAME: normalize_name(user_input[CONF_NAME]),
                }
            except OfficeError as err:
                errors[err.field] = err.code
            else:
                analysis = user_input.get(CONF_ANALYSIS)
                if analysis == ANALYSIS_WORKER:
                    if user_input[CONF_SOURCE] == SourceKind.ENTITY:
                        errors[CONF_ANALYSIS] = "worker_needs_stream"
                    elif "mqtt" not in self.hass.config.components:
                        errors[CONF_ANALYSIS] = "mqtt_required"
                elif analysis == ANALYSIS_FRIGATE:
                    if "mqtt" not in self.hass.config.components:
                        errors[CONF_ANALYSIS] = "mqtt_required"
                    else:
                        frigate_camera = str(user_input.get(CONF_FRIGATE_CAMERA) or "").strip()
                        if frigate_camera and not FRIGATE_CAMERA_NAME.match(frigate_camera):
                            errors[CONF_FRIGATE_CAMERA] = "invalid_frigate_camera"
                        elif not frigate_camera and not self._frigate_asked:
                            # the form grows the Frigate camera field, suggested from the name
                            self._frigate_asked = True
                            return self.async_show_form(
                                step_id="user", data_schema=_camera_base_schema(self._base)
                            )
                        self._base[CONF_FRIGATE_CAMERA] = frigate_camera
            if not errors:
                source = SourceKind(user_input[CONF_SOURCE])
                if source is SourceKind.URL:
                    return await self.async_step_url()
                if source is SourceKind.ENTITY:
                    return await self.async_step_entity()
                return await self.async_step_preset()
        self._frigate_asked = defaults.get(CONF_ANALYSIS) == ANALYSIS_FRIGATE
        return self.async_show_form(
            step_id="user", data_schema=_camera_base_schema(defaults), errors=errors
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Change a camera: the same steps, prefilled."""
        return await self.async_step_user(user_input)

    async def async_step_url(self, user_input: dict[str, Any] | None = None) -> SubentryFlowResult:
        """Stream URL (RTSP or HTTP), optional substream and snapshot URLs, credentials."""
        errors: dict[str, str] = {}
        if user_input is not None:
            data = _clean(user_input)
            try:
                for key, schemes in (
                    (CONF_STREAM_URL, STREAM_SCHEMES),
                    (CONF_SUBSTREAM_URL, STREAM_SCHEMES),
                    (CONF_STILL_IMAGE_URL, STILL_SCHEMES),
                ):
                    if key in data:
                        current = key
                        data[key] = check_url(data[key], schemes)
            except CameraUrlError as err:
                errors[current] = err.code
            if not errors:
                return await self._async_finish(data, errors, step_id="url")
        return self.async_show_form(
            step_id="url",
            data_schema=_url_schema(user_input or self._existing()),
            errors=errors,
        )

    async def async_step_preset(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """A Hikvision or Dahua camera or recorder: address, channel and credentials."""
        errors: dict[str, str] = {}
        kind = SourceKind(self._base[CONF_SOURCE])
        if user_input is not None:
            data = _clean(user_input)
            try:
                urls = preset_urls(kind, data[CONF_HOST], data[CONF_CHANNEL], data[CONF_RTSP_PORT])
            except CameraUrlError as err:
                errors[CONF_CHANNEL if err.code == "invalid_channel" else CONF_HOST] = err.code
            else:
                data |= {
                    CONF_STREAM_URL: urls.stream,
                    CONF_SUBSTREAM_URL: urls.substream,
                    CONF_STILL_IMAGE_URL: urls.still_image,
                }
                return await self._async_finish(data, errors, step_id="preset")
        return self.async_show_form(
            step_id="preset",
            data_schema=_preset_schema(user_input or self._existing()),
            errors=errors,
            description_placeholders={"brand": kind.value.capitalize()},
        )

    async def async_step_entity(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """A camera Home Assistant already has."""
        errors: dict[str, str] = {}
        if user_input is not None:
            return await self._async_finish(_clean(user_input), errors, step_id="entity")
        return self.async_show_form(
            step_id="entity", data_schema=_entity_schema(self._existing()), errors=errors
        )

    async def _async_finish(
        self, details: dict[str, Any], errors: dict[str, str], *, step_id: str
    ) -> SubentryFlowResult:
        """Test the camera; save it only when it answers."""
        data = {
            CONF_ROLE: self._base[CONF_ROLE],
            CONF_SOURCE: self._base[CONF_SOURCE],
            CONF_ANALYSIS: self._base.get(CONF_ANALYSIS, ANALYSIS_EMBEDDED),
            **details,
        }
        if data[CONF_ANALYSIS] == ANALYSIS_FRIGATE and self._base.get(CONF_FRIGATE_CAMERA):
            data[CONF_FRIGATE_CAMERA] = self._base[CONF_FRIGATE_CAMERA]
        title = self._base[CONF_NAME]
        unique_id = data.get(CONF_CAMERA_ENTITY) or data[CONF_STREAM_URL]
        entry = self._get_entry()
        current = self._get_reconfigure_subentry() if self.source == "reconfigure" else None
        for subentry in entry.subentries.values():
            if subentry.unique_id == unique_id and subentry is not current:
                return self.async_abort(reason="already_configured")
        errors.update(await async_test_camera(self.hass, CameraConfig.from_mapping(title, data)))
        if errors:
            schema = {
                "url": _url_schema,
                "preset": _preset_schema,
                "entity": _entity_schema,
            }[step_id](details)
            return self.async_show_form(
                step_id=step_id,
                data_schema=schema,
                errors=errors,
                description_placeholders={"brand": str(self._base[CONF_SOURCE]).capitalize()},
            )
        if current is not None:
            self.hass.config_entries.async_update_subentry(
                entry, current, data=data, title=title, unique_id=unique_id
            )
            return self.async_abort(reason="reconfigure_successful")
        return self.async_create_entry(title=title, data=data, unique_id=unique_id)


# --- zones -----------------------------------------------------------------------------------

ZONE_KINDS = [*(kind.value for kind in ZoneKind), KIND_PRIVACY_MASK]


class ZoneSubentryFlow(ConfigSubentryFlow):
    """Add or change a zone of a camera: a desk, an area, or a privacy mask.

    The officer types the corners in 0–1 picture coordinates; the next step shows the
    camera's picture with every zone drawn and the new one highlighted, to confirm or fix.
    """

    def __init__(self) -> None:
        """Start with nothing entered."""
        self._zone: dict[str, Any] = {}

    def _cameras(self) -> dict[str, str]:
        entry = self._get_entry()
        return {
            subentry_id: subentry.title
            for subentry_id, subentry in entry.subentries.items()
            if subentry.subentry_type == SUBENTRY_CAMERA
        }

    def _schema(self, defaults: Mapping[str, Any]) -> vol.Schema:
        cameras = self._cameras()
        return vol.Schema(
            {
                vol.Required(CONF_NAME, default=defaults.get(CONF_NAME, "")): TEXT,
                vol.Required(
                    CONF_CAMERA, default=defaults.get(CONF_CAMERA, next(iter(cameras)))
                ): selector.SelectSelector(
                    selector.SelectSelectorConfig(
                        options=[
                            selector.SelectOptionDict(value=key, label=title)
                            for key, title in cameras.items()
                        ],
                        mode=selector.SelectSelectorMode.DROPDOWN,
                    )
                ),
                vol.Required(CONF_KIND, default=defaults.get(CONF_KIND, "desk")): select_field(
                    ZONE_KINDS, "zone_kind"
                ),
                vol.Required(
                    CONF_COORDINATES, default=defaults.get(CONF_COORDINATES, "")
                ): selector.TextSelector(selector.TextSelectorConfig(multiline=True)),
            }
        )

    def _validate(self, user_input: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
        errors: dict[str, str] = {}
        data = dict(user_input)
        try:
            data[CONF_NAME] = normalize_name(user_input[CONF_NAME])
        except OfficeError as err:
            errors[err.field] = err.code
        if user_input[CONF_CAMERA] not in self._cameras():
            errors[CONF_CAMERA] = "camera_not_found"
        try:
            data[CONF_COORDINATES] = format_coordinates(
                parse_coordinates(user_input[CONF_COORDINATES])
            )
        except ZoneError as err:
            errors[CONF_COORDINATES] = err.code
        return data, errors

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> SubentryFlowResult:
        """Name, camera, kind and corners."""
        if not self._cameras():
            return self.async_abort(reason="no_cameras")
        errors: dict[str, str] = {}
        defaults: Mapping[str, Any] = user_input or {}
        if self.source == "reconfigure" and user_input is None:
            subentry = self._get_reconfigure_subentry()
            defaults = {CONF_NAME: subentry.title, **subentry.data}
        if user_input is not None:
            self._zone, errors = self._validate(user_input)
            if self.source == "reconfigure":
                kept = self._get_reconfigure_subentry().data
                if kept.get(CONF_KIND) == self._zone[CONF_KIND]:
                    for key in (CONF_GATHERINGS, CONF_AFTER_HOURS):
                        if key in kept:
                            self._zone.setdefault(key, kept[key])
            if not errors:
                return await self.async_step_preview()
        return self.async_show_form(
            step_id="user", data_schema=self._schema(defaults), errors=errors
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Change a zone: the same steps, prefilled."""
        return await self.async_step_user(user_input)

    async def async_step_preview(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """The picture with the zone drawn; submit to save, or change the corners first."""
        errors: dict[str, str] = {}
        if user_input is not None:
            changed = user_input[CONF_COORDINATES].strip() != self._zone[CONF_COORDINATES]
            candidate, errors = self._validate({**self._zone, **user_input})
            if not errors:
                self._zone = candidate
                if not changed:
                    return self._async_save()
        kind = self._zone[CONF_KIND]
        fields: dict[vol.Marker, Any] = {
            vol.Required(
                CONF_COORDINATES, default=self._zone[CONF_COORDINATES]
            ): selector.TextSelector(selector.TextSelectorConfig(multiline=True)),
        }
        if kind != KIND_PRIVACY_MASK:
            fields[
                vol.Required(
                    CONF_GATHERINGS,
                    default=self._zone.get(CONF_GATHERINGS, default_gatherings(kind)),
                )
            ] = selector.BooleanSelector()
            fields[
                vol.Required(
                    CONF_AFTER_HOURS,
                    default=self._zone.get(CONF_AFTER_HOURS, default_after_hours(kind)),
                )
            ] = selector.BooleanSelector()
        return self.async_show_form(
            step_id="preview",
            data_schema=vol.Schema(fields),
            errors=errors,
            description_placeholders={
                "name": self._zone[CONF_NAME],
                "preview": await self._async_preview(),
            },
        )

    async def _async_preview(self) -> str:
        """Markdown for the picture with the camera's zones and the new zone, or a note."""
        entry = self._get_entry()
        camera_id = self._zone[CONF_CAMERA]
        monitor = None
        if entry.state is ConfigEntryState.LOADED:
            monitor = entry.runtime_data.cameras.get(camera_id)
        image = await monitor.async_image() if monitor is not None else None
        if image is None:
            return "—"
        current = self._get_reconfigure_subentry() if self.source == "reconfigure" else None
        others = [
            zone
            for zone in zones_of(entry, {camera_id}).values()
            if current is None or zone.subentry_id != current.subentry_id
        ]
        polygon = parse_coordinates(self._zone[CONF_COORDINATES])
        jpeg = await self.hass.async_add_executor_job(
            draw_layout,
            image,
            [(zone.name, zone.polygon) for zone in others if not zone.is_mask],
            [zone.polygon for zone in others if zone.is_mask],
            polygon,
        )
        return f"![]({publish_preview(self.hass, jpeg)})"

    def _async_save(self) -> SubentryFlowResult:
        title = self._zone.pop(CONF_NAME)
        if self.source == "reconfigure":
            entry = self._get_entry()
            self.hass.config_entries.async_update_subentry(
                entry, self._get_reconfigure_subentry(), data=self._zone, title=title
            )
            return self.async_abort(reason="reconfigure_successful")
        return self.async_create_entry(title=title, data=self._zone)
