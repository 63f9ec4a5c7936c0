"""Office rules: unattended desks, attendance, gatherings and after-hours intrusion."""
