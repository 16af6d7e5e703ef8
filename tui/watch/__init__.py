"""Watch the config files the way editors and deploy tools really change them.

- Directories are watched, never file inodes: after one vim-style save or `os.replace` a watch on
  the file's inode never fires again. We watch each path's directory *and* the directory of each
  file's real path, so a symlinked config whose target is swapped (the Kubernetes ConfigMap
  `..data` pattern, whose events never name the file) is seen too.
- Events are only a hint: on any event the files are listed again, read and hashed, and only a
  different digest counts as a change. A quiet tick every 2 s compares `stat` signatures, so
  anything the events missed is still seen.
- A file read mid-save is usually valid but truncated, so a change is applied only when two
  reads a short interval apart agree.
- On Linux the events come from inotify read on the event loop (`Inotify`: libc through
  ctypes; no thread, no timer); elsewhere from watchfiles. Where neither works (a network
  filesystem, the watch limit reached, watchfiles missing) it polls instead, and says so.

No Textual here: the App runs `Watcher.run()` in a worker and gets callbacks. One module per
job: `snapshot` (reading the files), `dirs` (what to watch), `watcher` (settling and
comparing), and one per change source behind `base.ChangeSource`: `inotify`, `watchfiles_source`,
`polling`.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .snapshot import Snapshot, open_for_writing, take_snapshot

if TYPE_CHECKING:
    from .base import ChangeSource
    from .inotify import Inotify, InotifySource
    from .polling import PollingSource
    from .watcher import Watcher
    from .watchfiles_source import WatchfilesSource

__all__ = ["ChangeSource", "Inotify", "InotifySource", "PollingSource", "Snapshot", "Watcher", "WatchfilesSource",
           "open_for_writing", "take_snapshot"]

# Imported on first use: the start reads the files (`take_snapshot`) before its first frame, and
# watches them only after it (inotify's ctypes is ~3 ms of import: bench/README.md, "start-up").
_LATER = {"ChangeSource": "base", "Inotify": "inotify", "InotifySource": "inotify", "PollingSource": "polling",
          "Watcher": "watcher", "WatchfilesSource": "watchfiles_source"}


def __getattr__(name: str) -> Any:
    if name in _LATER:
        return getattr(importlib.import_module(f"{__name__}.{_LATER[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
