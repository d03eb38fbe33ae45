#!/usr/bin/python3
"""Asks the X server about the app's top-level window, or asks the window to close the way a
window manager's close button does (a WM_DELETE_WINDOW client message), for the end-to-end
suites on a display without a window manager.

Usage: x11window.py state TITLE [LISTEN]   prints "viewable", "unmapped" or "missing"
       x11window.py close TITLE [LISTEN]   sends WM_DELETE_WINDOW to the window titled TITLE
With LISTEN, only the windows of the process started with HOOKSCOPE_LISTEN=LISTEN count (another
suite's app may still be closing on the same display).
"""

import sys

from Xlib import X, display, protocol


def windows_titled(disp, title):
    found = []
    pending = [disp.screen().root]
    while pending:
        window = pending.pop()
        try:
            name = window.get_wm_name()
            children = window.query_tree().children
        except Exception:  # a window that went away while we looked
            continue
        if name == title:
            found.append(window)
        pending.extend(children)
    return found


def listens_on(disp, window, listen):
    """True when the window's process (_NET_WM_PID) runs with HOOKSCOPE_LISTEN=listen."""
    prop = window.get_full_property(disp.intern_atom("_NET_WM_PID"), X.AnyPropertyType)
    if not prop or not prop.value:
        return False
    try:
        with open(f"/proc/{prop.value[0]}/environ", "rb") as env:
            return f"HOOKSCOPE_LISTEN={listen}".encode() in env.read().split(b"\0")
    except OSError:
        return False


def main():
    action, title = sys.argv[1], sys.argv[2]
    disp = display.Display()
    windows = windows_titled(disp, title)
    if len(sys.argv) > 3:
        windows = [w for w in windows if listens_on(disp, w, sys.argv[3])]
    if action == "state":
        if not windows:
            print("missing")
        else:
            viewable = any(w.get_attributes().map_state == X.IsViewable for w in windows)
            print("viewable" if viewable else "unmapped")
        return 0
    if action == "close":
        if not windows:
            print(f"no window titled {title!r}", file=sys.stderr)
            return 1
        delete = disp.intern_atom("WM_DELETE_WINDOW")
        protocols = disp.intern_atom("WM_PROTOCOLS")
        for window in windows:
            event = protocol.event.ClientMessage(
                window=window, client_type=protocols, data=(32, [delete, X.CurrentTime, 0, 0, 0])
            )
            window.send_event(event, event_mask=X.NoEventMask)
        disp.flush()
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
