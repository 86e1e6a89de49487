"""`salesxl watch`: a folder watched for arriving forms, the summary kept fresh.

Works with any spreadsheet app (WPS, LibreOffice, Excel on a Mac): reps
save into a shared or synced folder, and the watch validates each file as
it arrives, writes its return copy, imports it into the store and rewrites
the summary (docs/watch.md: running it as a service).
"""

from __future__ import annotations

from salesxl.watch.arrivals import Arrivals, lock_files
from salesxl.watch.returning import ReturnStep
from salesxl.watch.service import Watched, Watcher, WatchOptions, auto_period, watch_folder

__all__ = [
    "Arrivals",
    "ReturnStep",
    "WatchOptions",
    "Watched",
    "Watcher",
    "auto_period",
    "lock_files",
    "watch_folder",
]
