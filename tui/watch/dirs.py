"""Which directories to watch so that every way the files change shows up, and when they must
be polled instead (network filesystems, where change events do not arrive)."""
from __future__ import annotations

import os
from collections.abc import Mapping

NETWORK_FS = frozenset({
    "nfs", "nfs4", "cifs", "smbfs", "smb3", "9p", "afs", "ceph", "glusterfs", "lustre", "gpfs",
    "fuse.sshfs", "sshfs", "fuse.rclone", "davfs", "fuse.s3fs", "fuse.gcsfuse", "virtiofs", "vboxsf",
})




def _existing_ancestor(path: str) -> str:
    path = os.path.abspath(path)
    while not os.path.isdir(path) and os.path.dirname(path) != path:
        path = os.path.dirname(path)
    return path


def watch_dirs(paths: list[str], files: tuple[str, ...] | list[str] = ()) -> list[str]:
    """Directories to watch (non-recursively) so that every way the files change shows up."""
    dirs: set[str] = set()
    for path in paths:
        if os.path.isdir(path):
            dirs.add(os.path.abspath(path))
            dirs.add(os.path.realpath(path))
        else:
            dirs.add(_existing_ancestor(os.path.dirname(os.path.abspath(path)) or "."))
            dirs.add(_existing_ancestor(os.path.dirname(os.path.realpath(path))))
    for path in files:
        dirs.add(_existing_ancestor(os.path.dirname(os.path.realpath(path))))
    return sorted(d for d in dirs if os.path.isdir(d))


def _mounts() -> list[tuple[str, str]]:
    """(mount point, filesystem type) from /proc/self/mountinfo, longest mount point first."""
    out = []
    try:
        with open("/proc/self/mountinfo", encoding="utf-8", errors="replace") as fh:
            for line in fh:
                left, _, right = line.partition(" - ")
                fields = left.split()
                if len(fields) >= 5 and right:
                    point = fields[4].replace("\\040", " ")
                    out.append((point, right.split()[0]))
    except OSError:
        return []
    return sorted(out, key=lambda m: len(m[0]), reverse=True)


def polling_reason(dirs: list[str], environ: Mapping[str, str] | None = None) -> str | None:
    """Why these directories must be polled rather than watched, or None."""
    if (os.environ if environ is None else environ).get("DEALMON_POLL"):
        return "DEALMON_POLL is set"
    mounts = _mounts()
    for d in dirs:
        real = os.path.realpath(d)
        for point, fstype in mounts:
            if real == point or real.startswith(point.rstrip("/") + "/"):
                if fstype in NETWORK_FS:
                    return f"{fstype} filesystem"
                break
    return None

