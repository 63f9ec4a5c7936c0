"""The office's settings that change over a year: hours, rule graces, announced days.

A menu leads to each: the working hours of both seasons, the rules' graces and thresholds,
and the per-year overrides the province or the unit announces (a make-up working Saturday, an
extra day off, a day with changed hours). Saving any of them reloads the office.
"""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigFlowResult, OptionsFlow
from homeassistant.helpers import selector

from .compat import vol
from .const import CONF_OVERRIDES
from .core.calendar import (
    PRESETS,
    CalendarOverride,
    OverrideKind,
    ScheduleError,
    overrides_from_list,
    schedule_to_dict,
)
from .core.rules.settings import RuleSettings
from .core.rules.violations import RuleError
from .flow_fields import TEXT, TIME, hours_schema, select_field, validate_hours

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


class OfficeOptionsFlow(OptionsFlow):
    """Hours, rules and announced days of an office."""

    @property
    def _overrides(self) -> list[dict[str, Any]]:
        return list(self.config_entry.options.get(CONF_OVERRIDES, []))

    def _save(self, changes: dict[str, Any]) -> ConfigFlowResult:
        return self.async_create_entry(data={**self.config_entry.options, **changes})

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """What to change."""
        options = ["hours", "rules", "add_override"]
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
