"""What every main-window view shares: load in the background, refresh only on relevant changes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtWidgets import QLineEdit, QWidget

from fieldkit.services.changes import Changes
from fieldkit.ui.ops import Latest

if TYPE_CHECKING:
    from fieldkit.services.profile import Profile


class View(QWidget):
    """A page of the main window. Subclasses set ``RELEVANT``, ``load`` and ``show_data``.

    ``load(profile)`` runs on a worker thread and returns what ``show_data`` puts on screen.
    A view hidden when its data changes only marks itself stale and reloads when shown.
    """

    RELEVANT: ClassVar[tuple[str, ...]] = ()
    search: QLineEdit

    def __init__(self, profile: Profile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.profile = profile
        self._stale = True
        self._latest = Latest(self)
        self.loaded = False

    @staticmethod
    def load(profile: Profile) -> Any:
        raise NotImplementedError

    def show_data(self, data: Any) -> None:
        raise NotImplementedError

    def reload(self) -> None:
        self._stale = False

        def done(data: Any) -> None:
            self.show_data(data)
            self.loaded = True

        self._latest.run(self.load, self.profile, then=done)

    def on_changes(self, changes: Changes) -> None:
        if not changes.touches(*self.RELEVANT):
            return
        if self.isVisible():
            self.reload()
        else:
            self._stale = True

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().showEvent(event)
        if self._stale:
            self.reload()

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()
