"""The pure core of quephong_office: no Home Assistant imports, time always passed in."""
