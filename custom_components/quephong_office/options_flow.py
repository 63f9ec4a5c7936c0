"""The office's settings that change over a year: hours, rule graces, announced days, staff.

A menu leads to each: the working hours of both seasons, the rules' graces and thresholds,
the per-year overrides the province or the unit announces (a make-up working Saturday, an
extra day off, a day with changed hours), and a bulk import of the staff list from the
office's own spreadsheet (CSV or XLSX). Saving any of them reloads the office.
"""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType
from typing import Any

from homeassistant.components.file_upload import process_uploaded_file
from homeassistant.config_entries import ConfigFlowResult, ConfigSubentry, OptionsFlow
from homeassistant.helpers import selector

from .compat import vol
from .const import (
    CONF_COMMUNES,
    CONF_KIND,
    CONF_LEADERS,
    CONF_LEVEL,
    CONF_MONTHLY_REPORT,
    CONF_OVERRIDES,
    CONF_REPORT_PLACE,
    CONF_REPORT_SIGNER,
    CONF_REPORT_SIGNING,
    CONF_RETENTION_DAYS,
    CONF_RULE,
    CONF_TEMPLATES,
    DEFAULT_RETENTION_DAYS,
    NO_DESK,
    SUBENTRY_STAFF,
    SUBENTRY_ZONE,
)
from .core.calendar import (
    PRESETS,
    CalendarOverride,
    OverrideKind,
    ScheduleError,
    overrides_from_list,
    schedule_to_dict,
)
from .core.meeting.communes import format_communes, parse_communes
from .core.meeting.errors import MeetingError
from .core.notify.templates import (
    PLACEHOLDERS,
    RULES,
    TEMPLATES,
    TemplateError,
    check_template,
)
from .core.office import OfficeLevel, place_of
from .core.report.wording import DEFAULT_SIGNING, SIGNINGS
from .core.rules.settings import RuleSettings
from .core.rules.violations import RuleError
from .core.staff import ImportResult, StaffError, parse_staff, read_table
from .flow_fields import MULTILINE, TEXT, TIME, hours_schema, select_field, validate_hours

#: Rule settings in the form, with their units (minutes, or people).
RULE_FIELDS: dict[str, str] = {
    "desk_grace": "min",
    "late_grace": "min",
    "early_grace": "min",
    "absence_cutoff": "min",
    "gathering_people": "",
    "gathering_minutes": "min",
}
HOUR_PARTS = ("morning_start", "morning_end", "afternoon_start", "afternoon_end")
#: How a problem in a row of an imported staff list reads, by language.
ROW_PROBLEMS: dict[str, dict[str, str]] = {
    "vi": {
        "row": "dòng",
        "empty_name": "thiếu họ tên",
        "duplicate_staff": "trùng tên với cán bộ đã có",
        "desk_not_found": "không có quầy này",
        "invalid_phone": "số điện thoại sai",
        "invalid_email": "email sai",
        "invalid_zalo_user_id": "mã Zalo sai",
    },
    "en": {
        "row": "row",
        "empty_name": "no name",
        "duplicate_staff": "a staff member with this name exists",
        "desk_not_found": "no such desk",
        "invalid_phone": "bad phone number",
        "invalid_email": "bad email",
        "invalid_zalo_user_id": "bad Zalo id",
    },
}


#: Units whose communes report to them.
PARENT_LEVELS = (OfficeLevel.PROVINCE.value, OfficeLevel.DISTRICT_LEGACY.value)


class OfficeOptionsFlow(OptionsFlow):
    """Hours, rules and announced days of an office."""

    _rule: str = ""

    @property
    def _overrides(self) -> list[dict[str, Any]]:
        return list(self.config_entry.options.get(CONF_OVERRIDES, []))

    def _save(self, changes: dict[str, Any]) -> ConfigFlowResult:
        return self.async_create_entry(data={**self.config_entry.options, **changes})

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """What to change."""
        options = [
            "hours",
            "rules",
            "add_override",
            "import_staff",
            "evidence",
            "templates",
            "reports",
        ]
        if self.config_entry.data.get(CONF_LEVEL) in PARENT_LEVELS:
            options.append("communes")
        if self._overrides:
            options.append("remove_override")
        return self.async_show_menu(step_id="init", menu_options=options)

    async def async_step_hours(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Both seasons' sessions and the season switch dates."""
        errors: dict[str, str] = {}
        defaults = {**schedule_to_dict(PRESETS["nghe_an"]), **self.config_entry.options}
        if user_input is not None:
            hours, errors = validate_hours(user_input)
            if not errors:
                return self._save(hours)
            defaults = {**defaults, **{k: str(v) for k, v in user_input.items()}}
        return self.async_show_form(
            step_id="hours", data_schema=hours_schema(defaults), errors=errors
        )

    async def async_step_rules(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Graces and thresholds of the rules."""
        errors: dict[str, str] = {}
        current = RuleSettings.from_dict(
            {k: v for k, v in self.config_entry.options.items() if k in RULE_FIELDS}
        ).to_dict()
        if user_input is not None:
            try:
                settings = RuleSettings.from_dict(user_input)
            except RuleError as err:
                errors[err.field] = err.code
            else:
                return self._save(settings.to_dict())
        schema = vol.Schema(
            {
                vol.Required(key, default=current[key]): selector.NumberSelector(
                    selector.NumberSelectorConfig(
                        min=0,
                        max=300,
                        step=1,
                        mode=selector.NumberSelectorMode.BOX,
                        **({"unit_of_measurement": unit} if unit else {}),
                    )
                )
                for key, unit in RULE_FIELDS.items()
            }
        )
        return self.async_show_form(
            step_id="rules",
            data_schema=self.add_suggested_values_to_schema(schema, user_input or current),
            errors=errors,
        )

    async def async_step_add_override(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """One announced date: a make-up working day, an extra day off, or changed hours."""
        errors: dict[str, str] = {}
        if user_input is not None:
            item = {k: str(v)[:5] if k in HOUR_PARTS else v for k, v in user_input.items()}
            try:
                override = CalendarOverride.from_dict(item)
                overrides = overrides_from_list([*self._overrides, override.to_dict()])
            except ScheduleError as err:
                errors[err.field] = err.code
            else:
                return self._save({CONF_OVERRIDES: [o.to_dict() for o in overrides]})
        schema = vol.Schema(
            {
                vol.Required("date"): selector.DateSelector(),
                vol.Required("kind", default=OverrideKind.WORKDAY.value): select_field(
                    [kind.value for kind in OverrideKind], "override_kind"
                ),
                vol.Optional("name", default=""): TEXT,
                **{vol.Optional(part): TIME for part in HOUR_PARTS},
            }
        )
        return self.async_show_form(
            step_id="add_override",
            data_schema=self.add_suggested_values_to_schema(schema, user_input or {}),
            errors=errors,
        )

    async def async_step_remove_override(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Withdraw announced dates."""
        overrides = self._overrides
        if user_input is not None:
            remove = set(user_input.get("dates", []))
            return self._save({CONF_OVERRIDES: [o for o in overrides if o["date"] not in remove]})
        options = [
            selector.SelectOptionDict(
                value=o["date"], label=f"{o['date']} – {o.get('name') or o['kind']}"
            )
            for o in overrides
        ]
        return self.async_show_form(
            step_id="remove_override",
            data_schema=vol.Schema(
                {
                    vol.Required("dates"): selector.SelectSelector(
                        selector.SelectSelectorConfig(options=options, multiple=True)
                    )
                }
            ),
        )

    async def async_step_import_staff(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Add every staff member of an uploaded list; nothing is added while a row is wrong."""
        errors: dict[str, str] = {}
        problems = ""
        if user_input is not None:
            entry = self.config_entry
            desks = {
                sub.title: key
                for key, sub in entry.subentries.items()
                if sub.subentry_type == SUBENTRY_ZONE and sub.data.get(CONF_KIND) == "desk"
            }
            existing = [
                sub.title
                for sub in entry.subentries.values()
                if sub.subentry_type == SUBENTRY_STAFF
            ]
            try:
                result = await self.hass.async_add_executor_job(
                    self._read_upload, user_input["file"], desks, existing
                )
            except StaffError as err:
                errors["file"] = err.code
            else:
                if result.errors:
                    errors["file"] = "rows_invalid"
                    problems = self._describe(result)
                elif not result.staff:
                    errors["file"] = "empty_file"
                else:
                    for record in result.staff:
                        title = record.pop("name")
                        self.hass.config_entries.async_add_subentry(
                            entry,
                            ConfigSubentry(
                                data=MappingProxyType({"desk": NO_DESK, **record}),
                                subentry_type=SUBENTRY_STAFF,
                                title=title,
                                unique_id=None,
                            ),
                        )
                    return self.async_abort(
                        reason="staff_imported",
                        description_placeholders={"count": str(len(result.staff))},
                    )
        return self.async_show_form(
            step_id="import_staff",
            data_schema=vol.Schema(
                {
                    vol.Required("file"): selector.FileSelector(
                        selector.FileSelectorConfig(accept=".csv,.xlsx")
                    )
                }
            ),
            errors=errors,
            description_placeholders={"problems": problems},
        )

    def _read_upload(
        self, file_id: str, desks: dict[str, str], existing: list[str]
    ) -> ImportResult:
        """Executor: read the uploaded file (removed afterwards) and parse its rows."""
        with process_uploaded_file(self.hass, file_id) as path:
            rows = read_table(Path(path).name, Path(path).read_bytes())
        return parse_staff(rows, desks, existing)

    def _describe(self, result: ImportResult) -> str:
        texts = ROW_PROBLEMS["vi" if self.hass.config.language.startswith("vi") else "en"]
        return "\n".join(
            f"- {texts['row']} {row}: {texts.get(code, code)}" for row, code in result.errors[:20]
        )

    async def async_step_evidence(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """How long evidence is kept, and which leaders (besides administrators) may see it."""
        if user_input is not None:
            return self._save(
                {
                    CONF_RETENTION_DAYS: int(user_input[CONF_RETENTION_DAYS]),
                    CONF_LEADERS: list(user_input.get(CONF_LEADERS, [])),
                }
            )
        users = [
            u
            for u in await self.hass.auth.async_get_users()
            if u.is_active and not u.system_generated
        ]
        options = self.config_entry.options
        schema = vol.Schema(
            {
                vol.Required(
                    CONF_RETENTION_DAYS,
                    default=options.get(CONF_RETENTION_DAYS, DEFAULT_RETENTION_DAYS),
                ): selector.NumberSelector(
                    selector.NumberSelectorConfig(
                        min=7, max=3650, step=1, mode=selector.NumberSelectorMode.BOX
                    )
                ),
                vol.Optional(
                    CONF_LEADERS, default=list(options.get(CONF_LEADERS, []))
                ): selector.SelectSelector(
                    selector.SelectSelectorConfig(
                        options=[
                            selector.SelectOptionDict(value=u.id, label=u.name or u.id)
                            for u in users
                        ],
                        multiple=True,
                    )
                ),
            }
        )
        return self.async_show_form(step_id="evidence", data_schema=schema)

    async def async_step_reports(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The monthly report, the place on the date line and who signs the reports."""
        if user_input is not None:
            return self._save(
                {
                    CONF_MONTHLY_REPORT: bool(user_input[CONF_MONTHLY_REPORT]),
                    CONF_REPORT_PLACE: " ".join(user_input.get(CONF_REPORT_PLACE, "").split()),
                    CONF_REPORT_SIGNING: user_input[CONF_REPORT_SIGNING],
                    CONF_REPORT_SIGNER: " ".join(user_input.get(CONF_REPORT_SIGNER, "").split()),
                }
            )
        options = self.config_entry.options
        schema = vol.Schema(
            {
                vol.Required(
                    CONF_MONTHLY_REPORT, default=options.get(CONF_MONTHLY_REPORT, True)
                ): selector.BooleanSelector(),
                vol.Optional(
                    CONF_REPORT_PLACE,
                    description={
                        "suggested_value": options.get(CONF_REPORT_PLACE)
                        or place_of(self.config_entry.title)
                    },
                ): selector.TextSelector(),
                vol.Required(
                    CONF_REPORT_SIGNING,
                    default=options.get(CONF_REPORT_SIGNING, DEFAULT_SIGNING),
                ): selector.SelectSelector(
                    selector.SelectSelectorConfig(
                        options=list(SIGNINGS),
                        translation_key=CONF_REPORT_SIGNING,
                        mode=selector.SelectSelectorMode.LIST,
                    )
                ),
                vol.Optional(
                    CONF_REPORT_SIGNER,
                    description={"suggested_value": options.get(CONF_REPORT_SIGNER)},
                ): selector.TextSelector(),
            }
        )
        return self.async_show_form(step_id="reports", data_schema=schema)

    async def async_step_communes(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """A parent unit's communes: their readiness and discipline figures come over MQTT."""
        errors: dict[str, str] = {}
        if user_input is not None:
            text = user_input.get(CONF_COMMUNES, "")
            try:
                communes = parse_communes(text)
            except MeetingError as err:
                errors[err.field] = err.code
            else:
                return self._save({CONF_COMMUNES: format_communes(communes)})
        schema = vol.Schema(
            {
                vol.Optional(
                    CONF_COMMUNES,
                    description={
                        "suggested_value": (user_input or self.config_entry.options).get(
                            CONF_COMMUNES, ""
                        )
                    },
                ): MULTILINE
            }
        )
        return self.async_show_form(step_id="communes", data_schema=schema, errors=errors)

    async def async_step_templates(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Which rule's reminder to change."""
        if user_input is not None:
            self._rule = user_input[CONF_RULE]
            return await self.async_step_template()
        schema = vol.Schema({vol.Required(CONF_RULE): select_field(list(RULES), "rule")})
        return self.async_show_form(step_id="templates", data_schema=schema)

    async def async_step_template(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The rule's subject and message, with placeholders; reset brings back the default."""
        rule: str = self._rule
        templates: dict[str, list[str]] = dict(self.config_entry.options.get(CONF_TEMPLATES, {}))
        errors: dict[str, str] = {}
        if user_input is not None:
            if user_input.get("reset"):
                templates.pop(rule, None)
                return self._save({CONF_TEMPLATES: templates})
            try:
                templates[rule] = [
                    check_template(str(user_input.get(part, "")), part)
                    for part in ("subject", "body")
                ]
            except TemplateError as err:
                errors[err.field] = err.code
            else:
                return self._save({CONF_TEMPLATES: templates})
        subject, body = templates.get(rule) or TEMPLATES["vi"][rule]
        schema = vol.Schema(
            {
                vol.Required("subject"): TEXT,
                vol.Required("body"): MULTILINE,
                vol.Optional("reset", default=False): selector.BooleanSelector(),
            }
        )
        return self.async_show_form(
            step_id="template",
            data_schema=self.add_suggested_values_to_schema(
                schema, user_input or {"subject": subject, "body": body}
            ),
            errors=errors,
            description_placeholders={
                "placeholders": ", ".join("{" + name + "}" for name in sorted(PLACEHOLDERS))
            },
        )
