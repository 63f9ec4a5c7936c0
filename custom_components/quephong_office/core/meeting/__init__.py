"""Meeting rooms that prepare themselves for online conferences.

A room follows a calendar: events that count (all, or those whose title holds a keyword such as
"trực tuyến") open a window from `lead` before the start to `grace` after the end. Before the
start the room's devices are brought to their target states and verified, the conference link is
taken from the event, and the endpoints of the participating communes and wards are checked. What
is not right is a list of problems; a commune publishes its readiness over MQTT to its parent
unit, which shows "12/14 xã sẵn sàng". When the window closes the devices are restored.

Modules, one concern each: `text` (folding and slugs), `errors`, `events` (which events count,
the link, the window), `endpoints` (parsing and checking), `devices` (targets, service calls,
verification, restore) and `readiness` (problems, sentences, MQTT payloads and topics, summary).
"""
