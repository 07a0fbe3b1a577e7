"""One process per profile: an OS file lock held for the life of the process."""

from __future__ import annotations

import os
from pathlib import Path

from fieldkit.domain.errors import ProfileError

if os.name == "nt":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except OSError:
            return False

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


class ProfileLock:
    """Held while a process uses a profile; the OS frees it if the process dies, so no stale locks."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def acquire(self) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        if not _try_lock(fd):
            try:
                holder = os.read(fd, 100).decode("ascii", "replace").strip() or "?"
            except OSError:  # Windows forbids reading a range another process has locked
                holder = "?"
            finally:
                os.close(fd)
            raise ProfileError(
                "Otro proceso de fieldkit (pid {pid}) ya está usando el perfil en {path}. "
                "Ciérrelo primero, o use otro perfil con --data-dir.",
                pid=holder,
                path=str(self.path.parent),
            )
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, str(os.getpid()).encode("ascii"))
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            try:
                _unlock(self._fd)
            finally:
                os.close(self._fd)
                self._fd = None

    @property
    def held(self) -> bool:
        return self._fd is not None
