// The latest violation snapshots of an office, for its leaders (quephong_office).
// A plain custom element: no build step, no library. The links come signed for the viewing
// user from the websocket command `quephong_office/evidence/recent`; users who may not see
// evidence get a short note instead.
const TEXTS = {
  vi: {
    title: "Bằng chứng vi phạm gần đây",
    none: "Chưa có bằng chứng nào.",
    denied: "Chỉ lãnh đạo và quản trị viên được xem bằng chứng vi phạm.",
    failed: "Không tải được bằng chứng",
    all: "Xem tất cả trong mục Phương tiện",
  },
  en: {
    title: "Latest violation evidence",
    none: "No evidence yet.",
    denied: "Only leaders and administrators may see violation evidence.",
    failed: "Could not load the evidence",
    all: "See all in Media",
  },
};
const REFRESH_MS = 60000;

class QuephongEvidenceCard extends HTMLElement {
  setConfig(config) {
    this._config = { limit: 6, ...config };
    this._loaded = 0;
    if (!this.shadowRoot) this.attachShadow({ mode: "open" });
  }

  set hass(hass) {
    const first = !this._hass;
    this._hass = hass;
    const violations = this._config.violations_entity;
    const changed = violations && hass.states[violations]?.last_changed;
    if (first || changed !== this._lastChange || Date.now() - this._loaded > REFRESH_MS) {
      this._lastChange = changed;
      this._load();
    }
  }

  _t(key) {
    const lang = (this._hass?.locale?.language || this._hass?.language || "vi").slice(0, 2);
    return (TEXTS[lang] || TEXTS.vi)[key];
  }

  async _load() {
    if (this._loading) return;
    this._loading = true;
    this._loaded = Date.now();
    try {
      const message = { type: "quephong_office/evidence/recent", limit: this._config.limit };
      if (this._config.config_entry_id) message.config_entry_id = this._config.config_entry_id;
      this._render(await this._hass.callWS(message));
    } catch (err) {
      this._render(null, err);
    } finally {
      this._loading = false;
    }
  }

  _render(answer, error) {
    const root = this.shadowRoot;
    const escape = (text) =>
      String(text ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    let body;
    if (error) {
      body = `<p class="note">${escape(this._t("failed"))}: ${escape(error.message || error)}</p>`;
    } else if (!answer.allowed) {
      body = `<p class="note denied">${escape(this._t("denied"))}</p>`;
    } else {
      const items = answer.offices.flatMap((office) => office.items);
      body = items.length
        ? `<div class="grid">${items
            .map((item) => {
              // the office's clock (Home Assistant's time zone), not the browser's
              const when = new Date(item.at).toLocaleString(this._hass.locale?.language || "vi", {
                hour: "2-digit",
                minute: "2-digit",
                day: "2-digit",
                month: "2-digit",
                timeZone: this._hass.config?.time_zone || undefined,
              });
              return `<figure><a href="${escape(item.url)}" target="_blank" rel="noreferrer">
                <img src="${escape(item.url)}" alt="${escape(item.label)}"></a>
                <figcaption><b>${escape(item.label)}</b> · ${escape(item.subject)}<br>
                <span>${escape(when)}</span></figcaption></figure>`;
            })
            .join("")}</div>`
        : `<p class="note">${escape(this._t("none"))}</p>`;
      body += `<a class="all" href="/media-browser/browser">${escape(this._t("all"))}</a>`;
    }
    root.innerHTML = `
      <style>
        ha-card { padding: 12px 16px 16px; }
        h2 { font-size: 1.1em; font-weight: 500; margin: 4px 0 12px; }
        .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 10px; }
        figure { margin: 0; }
        img { width: 100%; aspect-ratio: 16 / 9; object-fit: cover; border-radius: 8px; display: block; background: var(--secondary-background-color); }
        figcaption { font-size: 0.85em; margin-top: 4px; line-height: 1.3; }
        figcaption span { color: var(--secondary-text-color); }
        .note { color: var(--secondary-text-color); margin: 0; }
        .all { display: inline-block; margin-top: 12px; color: var(--primary-color); }
      </style>
      <ha-card><h2>${escape(this._config.title || this._t("title"))}</h2>${body}</ha-card>`;
  }

  getCardSize() {
    return 4;
  }

  getGridOptions() {
    return { columns: 12, min_columns: 6, rows: "auto" };
  }

  static getStubConfig() {
    return { limit: 6 };
  }
}

if (!customElements.get("quephong-evidence-card")) {
  customElements.define("quephong-evidence-card", QuephongEvidenceCard);
  window.customCards = window.customCards || [];
  window.customCards.push({
    type: "quephong-evidence-card",
    name: "Quế Phong: bằng chứng vi phạm",
    description: "Ảnh bằng chứng vi phạm gần đây, chỉ lãnh đạo và quản trị viên xem được.",
  });
}
