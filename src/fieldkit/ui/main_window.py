"""The main window: navigation between views, menus, status bar, and where Changes arrive.

It can be shown before the profile is open (``MainWindow()`` then ``attach_profile``) so that
startup shows a window as fast as a bare Qt program; views are built, and their modules imported,
only when first needed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from fieldkit import __version__
from fieldkit.i18n import N_, _, available_languages, format_number, get_language, ngettext
from fieldkit.ui.ops import PROFILE, PROFILE_CHANGED, Op

if TYPE_CHECKING:
    from fieldkit.services.changes import Changes
    from fieldkit.services.demo import DemoSummary
    from fieldkit.services.profile import Profile
    from fieldkit.ui.data import MunicipalitiesData
    from fieldkit.ui.views.assistances import AssistancesView
    from fieldkit.ui.views.base import View
    from fieldkit.ui.views.conflicts import ConflictsView
    from fieldkit.ui.views.municipalities import MunicipalitiesView
    from fieldkit.ui.views.overdue import OverdueView
    from fieldkit.ui.views.persons import PersonsView

# Ver menu shortcuts follow the order: Ctrl+1 … Ctrl+5.
MUNICIPALITIES, ASSISTANCES, PERSONS, CONFLICTS, OVERDUE = range(5)
VIEW_TITLES = (
    N_("Municipios"),
    N_("Asistencias técnicas"),
    N_("Personas"),
    N_("Conflictos"),
    N_("Actividades vencidas"),
)
ENROL_NOTE = N_("Solo un coordinador acepta solicitudes de inscripción.")
STATUS_DELAY_MS = 300  # counts are not urgent: let the first table paint before reading them
SYNC_DELAY_MS = 1500  # the sync folder is looked at once the window is up and painted


class MainWindow(QMainWindow):
    def __init__(self, profile: Profile | None = None) -> None:
        super().__init__()
        self.profile: Profile | None = None
        self._views: dict[int, View] = {}
        self.setWindowTitle("fieldkit")
        self.resize(1280, 800)

        self.nav = QListWidget(self)
        self.nav.setAccessibleName(_("Navegación"))
        self.nav.setStyleSheet("QListWidget::item { padding: 6px 4px; }")
        for title in VIEW_TITLES:
            self.nav.addItem(_(title))
        self.nav.setFixedWidth(
            max(self.nav.fontMetrics().horizontalAdvance(_(t)) for t in VIEW_TITLES) + 40
        )
        self.stack = QStackedWidget(self)
        for _title in VIEW_TITLES:
            placeholder = QLabel(_("Abriendo el perfil…"), self.stack)
            placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.stack.addWidget(placeholder)
        central = QWidget(self)
        layout = QHBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.nav.currentRowChanged.connect(self.show_view)

        self.device_label = QLabel(self)
        self.role_label = QLabel(self)
        self.counts_label = QLabel(self)
        for label in (self.device_label, self.role_label, self.counts_label):
            label.setContentsMargins(8, 0, 8, 0)
            self.statusBar().addPermanentWidget(label)
        self.statusBar().showMessage(_("Abriendo el perfil…"))

        self._build_actions()
        self._set_profile_actions(False)
        self.nav.setCurrentRow(MUNICIPALITIES)
        if profile is not None:
            self.attach_profile(profile)

    # Actions and menus ---------------------------------------------------------------------

    def _action(self, text: str, slot, shortcut: QKeySequence | str | None = None) -> QAction:  # type: ignore[no-untyped-def]
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.addAction(action)  # shortcuts work even with the menu bar hidden
        return action

    def _build_actions(self) -> None:
        self.new_assistance_action = self._action(
            _("&Nueva asistencia técnica…"), self.new_assistance, "Ctrl+N"
        )
        self.backup_action = self._action(_("&Copia de seguridad ahora"), self.backup_now)
        self.restore_action = self._action(_("&Restaurar copia…"), self.restore_backup)
        self.profile_action = self._action(_("&Perfil de este equipo…"), self.open_profile)
        self.demo_action = self._action(_("Cargar &datos de demostración…"), self.load_demo)
        self.quit_action = self._action(_("&Salir"), self.close, "Ctrl+Q")
        self.directorates_action = self._action(
            _("&Direcciones territoriales…"), self.open_directorates
        )
        self.categories_action = self._action(
            _("Importar &categorías municipales (CSV)…"), self.import_categories
        )
        self.publish_form_action = self._action(
            _("&Publicar formulario (XLSForm)…"), self.publish_form
        )
        self.example_action = self._action(
            _("Cargar agrupación de &ejemplo"), self.load_example_directorates
        )
        self.workbook_action = self._action(
            _("Exportar &libro de seguimiento (Excel)…"), self.export_workbook, "Ctrl+Shift+E"
        )
        self.indicators_action = self._action(
            _("Importar &indicadores municipales…"), self.import_indicators
        )
        self.sheet_report_action = self._action(_("&Ficha municipal…"), self.report_municipality)
        self.assistance_report_action = self._action(
            _("Informe de &asistencia técnica…"), self.report_assistance, "Ctrl+P"
        )
        self.monitoring_report_action = self._action(
            _("Informe de &seguimiento de una dirección…"), self.report_monitoring
        )
        self.find_action = self._action(
            _("&Buscar"), self.focus_search, QKeySequence.StandardKey.Find
        )
        self.view_actions = [
            self._action(
                _(title), lambda _checked=False, i=i: self.nav.setCurrentRow(i), f"Ctrl+{i + 1}"
            )
            for i, title in enumerate(VIEW_TITLES)
        ]
        self.export_action = self._action(_("&Exportar paquete…"), self.export_bundle, "Ctrl+E")
        self.sync_now_action = self._action(_("&Sincronizar ahora"), self.sync_now, "F5")
        self.sync_folder_action = self._action(
            _("Carpe&ta de sincronización…"), self.choose_sync_folder
        )
        self.import_action = self._action(_("&Importar paquetes…"), self.import_bundles)
        self.import_folder_action = self._action(
            _("Importar una &carpeta de paquetes…"), self.import_folder
        )
        self.quarantine_action = self._action(_("&Remitentes en cuarentena…"), self.open_quarantine)
        self.enrol_request_action = self._action(
            _("&Crear solicitud de inscripción…"), self.create_enrol_request
        )
        self.enrol_accept_action = self._action(_("&Aceptar solicitud…"), self.accept_enrol_request)
        self.enrol_complete_action = self._action(
            _("C&ompletar inscripción…"), self.complete_enrolment
        )
        self.about_action = self._action(_("&Acerca de fieldkit"), self.about)
        self.language_group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for code, name in available_languages():
            # Native names, no mnemonic (both start with E): Alt+V, I, then the arrows.
            action = QAction(name, self.language_group)
            action.setCheckable(True)
            action.setChecked(code == get_language())
            action.triggered.connect(lambda _checked=False, code=code: self.choose_language(code))
            self.language_actions[code] = action

        menu = self.menuBar().addMenu(_("&Archivo"))
        menu.addAction(self.new_assistance_action)
        menu.addSeparator()
        menu.addAction(self.profile_action)
        menu.addAction(self.demo_action)
        menu.addSeparator()
        menu.addAction(self.backup_action)
        menu.addAction(self.restore_action)
        menu.addSeparator()
        menu.addAction(self.quit_action)
        menu = self.menuBar().addMenu(_("&Ver"))
        for action in self.view_actions:
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.find_action)
        menu.addSeparator()
        self.language_menu = menu.addMenu(_("&Idioma"))
        self.language_menu.addActions(self.language_group.actions())
        menu = self.menuBar().addMenu(_("&Catálogos"))
        menu.setToolTipsVisible(True)  # a disabled entry says why (role)
        menu.addAction(self.directorates_action)
        menu.addAction(self.categories_action)
        menu.addAction(self.example_action)
        menu.addSeparator()
        menu.addAction(self.publish_form_action)
        menu.addAction(self.indicators_action)
        menu = self.menuBar().addMenu(_("&Informes"))
        menu.addAction(self.assistance_report_action)
        menu.addAction(self.sheet_report_action)
        menu.addAction(self.monitoring_report_action)
        menu.addSeparator()
        menu.addAction(self.workbook_action)
        menu = self.menuBar().addMenu(_("&Sincronizar"))
        menu.addAction(self.sync_now_action)
        menu.addAction(self.sync_folder_action)
        menu.addSeparator()
        menu.addAction(self.export_action)
        menu.addAction(self.import_action)
        menu.addAction(self.import_folder_action)
        menu.addAction(self.quarantine_action)
        menu.setToolTipsVisible(True)  # a disabled entry says why (role)
        menu.addSeparator()
        enrol = menu.addMenu(_("I&nscripción"))
        enrol.setToolTipsVisible(True)  # a disabled entry says why (role)
        enrol.addAction(self.enrol_request_action)
        enrol.addAction(self.enrol_accept_action)
        enrol.addAction(self.enrol_complete_action)
        menu = self.menuBar().addMenu(_("A&yuda"))
        menu.addAction(self.about_action)

    def _set_profile_actions(self, enabled: bool) -> None:
        for action in (
            self.new_assistance_action,
            self.backup_action,
            self.restore_action,
            self.profile_action,
            self.demo_action,
            self.directorates_action,
            self.categories_action,
            self.example_action,
            self.publish_form_action,
            self.indicators_action,
            self.workbook_action,
            self.sheet_report_action,
            self.assistance_report_action,
            self.monitoring_report_action,
            self.find_action,
            self.export_action,
            self.sync_now_action,
            self.sync_folder_action,
            self.import_action,
            self.import_folder_action,
            self.quarantine_action,
            self.enrol_request_action,
            self.enrol_accept_action,
            self.enrol_complete_action,
        ):
            action.setEnabled(enabled)

    # Profile and views ---------------------------------------------------------------------

    def attach_profile(self, profile: Profile, preload: MunicipalitiesData | None = None) -> None:
        """Build the first view over ``profile``; ``preload`` is its data if already read."""
        self.profile = profile
        self._set_profile_actions(True)
        self._update_identity()
        view = self.view(MUNICIPALITIES)
        if preload is not None:
            view.preload(preload)  # type: ignore[attr-defined]
        self.show_view(self.nav.currentRow())
        self.statusBar().clearMessage()
        # With the window as context: a window closed before the timer fires is not called.
        QTimer.singleShot(STATUS_DELAY_MS, self, self.refresh_status)
        QTimer.singleShot(SYNC_DELAY_MS, self, self._sync_on_start)

    def view(self, index: int) -> View:
        """The view at ``index``, built on first use."""
        if index in self._views:
            return self._views[index]
        assert self.profile is not None, "attach_profile first"
        view: View
        if index == MUNICIPALITIES:
            from fieldkit.ui.views.municipalities import MunicipalitiesView

            view = MunicipalitiesView(self.profile, self.stack)
            view.open_requested.connect(self.open_sheet)
        elif index == ASSISTANCES:
            from fieldkit.ui.dialogs.history import add_history_button
            from fieldkit.ui.views.assistances import AssistancesView

            view = AssistancesView(self.profile, self.stack)
            add_history_button(view)  # type: ignore[arg-type]
        elif index == PERSONS:
            from fieldkit.ui.views.persons import PersonsView

            view = PersonsView(self.profile, self.stack)
        elif index == CONFLICTS:
            from fieldkit.ui.views.conflicts import ConflictsView

            view = ConflictsView(self.profile, self.stack)
        else:
            from fieldkit.ui.views.overdue import OverdueView

            view = OverdueView(self.profile, self.stack)
            view.open_requested.connect(self.show_assistance)  # type: ignore[attr-defined]
        placeholder = self.stack.widget(index)
        self.stack.removeWidget(placeholder)
        placeholder.deleteLater()
        self.stack.insertWidget(index, view)
        self._views[index] = view
        return view

    def municipalities_view(self) -> MunicipalitiesView:
        return self.view(MUNICIPALITIES)  # type: ignore[return-value]

    def assistances_view(self) -> AssistancesView:
        return self.view(ASSISTANCES)  # type: ignore[return-value]

    def persons_view(self) -> PersonsView:
        return self.view(PERSONS)  # type: ignore[return-value]

    def conflicts_view(self) -> ConflictsView:
        return self.view(CONFLICTS)  # type: ignore[return-value]

    def overdue_view(self) -> OverdueView:
        return self.view(OVERDUE)  # type: ignore[return-value]

    def show_view(self, index: int) -> None:
        if index < 0:
            return
        if self.nav.currentRow() != index:
            self.nav.setCurrentRow(index)  # comes back here through currentRowChanged
            return
        if self.profile is not None:
            self.view(index)
        self.stack.setCurrentIndex(index)

    def current_view(self) -> View | None:
        return self._views.get(self.stack.currentIndex())

    def focus_search(self) -> None:
        view = self.current_view()
        if view is not None:
            view.focus_search()

    # Changes -------------------------------------------------------------------------------

    def apply_changes(self, changes: Changes) -> None:
        """Called by ops after every successful service call that changed something."""
        if changes.touches(PROFILE):
            self._update_identity()
        for view in self._views.values():
            view.on_changes(changes)
        for dialog in self.findChildren(QDialog):
            if hasattr(dialog, "on_changes") and dialog.isVisible():
                dialog.on_changes(changes)
        self.refresh_status()

    def _update_identity(self) -> None:
        """Title, status bar and what the role may do, from the profile as it is now."""
        from fieldkit.services.profile import ROLE_LABELS
        from fieldkit.ui.roles import COORDINATOR, QUARANTINE_NOTE, gate

        assert self.profile is not None
        values = self.profile.values
        device = values.get("device_name") or "fieldkit"
        role = values.get("role") or "field"
        self.setWindowTitle(f"fieldkit — {device}")
        self.device_label.setText(_("Dispositivo: {device}", device=device))
        self.role_label.setText(_("Rol: {role}", role=_(ROLE_LABELS.get(role, role))))
        gate(
            [self.categories_action, self.publish_form_action, self.indicators_action],
            role == COORDINATOR,
        )
        gate([self.enrol_accept_action], role == COORDINATOR, ENROL_NOTE)
        gate([self.quarantine_action], role == COORDINATOR, QUARANTINE_NOTE)

    def refresh_status(self) -> None:
        from fieldkit.services.profile import status

        if self.profile is None:
            return

        def show(result: object) -> None:
            records = getattr(result, "records", {})
            m, a, p = (records.get(k, 0) for k in ("municipality", "assistance", "person"))
            parts = [
                ngettext("{count} municipio", "{count} municipios", m, count=format_number(m)),
                ngettext("{count} asistencia", "{count} asistencias", a, count=format_number(a)),
                ngettext("{count} persona", "{count} personas", p, count=format_number(p)),
            ]
            self.counts_label.setText(" · ".join(parts))

        Op(self, status, self.profile, quiet=True).success(show).run()

    # Commands ------------------------------------------------------------------------------

    def open_sheet(self, code: str) -> None:
        from fieldkit.ui.dialogs.municipality_sheet import MunicipalitySheetDialog, load_sheet

        def show(data: object) -> None:
            assert self.profile is not None
            dialog = MunicipalitySheetDialog(self.profile, data, self)  # type: ignore[arg-type]
            dialog.new_assistance_requested.connect(
                lambda municipality: self.assistances_view().new_assistance(municipality)
            )
            dialog.assistance_requested.connect(self.show_assistance)
            self.last_sheet = dialog
            dialog.show()

        Op(self, load_sheet, self.profile, code, label=_("Abriendo la ficha municipal…")).success(
            show
        ).run()

    last_sheet: QDialog | None = None

    def show_assistance(self, code: str) -> None:
        self.nav.setCurrentRow(ASSISTANCES)
        self.assistances_view().select(code)
        self.activateWindow()

    def new_assistance(self) -> None:
        self.nav.setCurrentRow(ASSISTANCES)
        self.assistances_view().new_assistance()

    def backup_now(self) -> None:
        from fieldkit.services.profile import backup

        Op(self, backup, self.profile, label=_("Guardando una copia de seguridad…")).success(
            lambda path: self.statusBar().showMessage(
                _("Copia de seguridad guardada en {path}", path=str(path)), 15000
            )
        ).run()

    def restore_backup(self) -> None:
        from fieldkit.services.changes import EVERYTHING
        from fieldkit.services.profile import list_backups, restore

        assert self.profile is not None
        backups = list_backups(self.profile)
        folder = backups[0].parent if backups else self.profile.data_dir
        path, _filter = QFileDialog.getOpenFileName(
            self,
            _("Restaurar una copia de seguridad"),
            str(folder),
            _("Copias de fieldkit (*.sqlite)") + ";;" + _("Todos los archivos (*)"),
        )
        if not path:
            return
        answer = QMessageBox.question(
            self,
            _("Restaurar copia de seguridad"),
            _(
                "Los datos actuales se reemplazarán por los de {name}. Antes se guardará una "
                "copia de seguridad de los datos actuales. ¿Restaurar?",
                name=Path(path).name,
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return

        def done(safety: object) -> None:
            QMessageBox.information(
                self,
                _("Copia restaurada"),
                _(
                    "Se restauró {name}. Los datos que había antes quedaron guardados en:\n{path}",
                    name=Path(path).name,
                    path=str(safety),
                ),
            )

        Op(
            self,
            restore,
            self.profile,
            Path(path),
            label=_("Restaurando la copia de seguridad…"),
            changes=EVERYTHING | PROFILE_CHANGED,  # the copy may have had another name or role
        ).success(done).run()

    def open_directorates(self) -> QDialog:
        from fieldkit.ui.dialogs.directorates import DirectoratesDialog

        assert self.profile is not None
        dialog = DirectoratesDialog(self.profile, self)
        dialog.open()
        return dialog

    def import_categories(self) -> None:
        from fieldkit.services import catalog
        from fieldkit.services.changes import Changes
        from fieldkit.ui.dialogs.directorates import import_report

        path, _filter = QFileDialog.getOpenFileName(
            self,
            _("Importar categorías municipales (CSV)"),
            "",
            "CSV (*.csv *.txt);;" + _("Todos los archivos (*)"),
        )
        if not path:
            return
        Op(
            self,
            catalog.import_categories,
            self.profile,
            Path(path),
            label=_("Importando categorías municipales…"),
            changes=Changes.of("municipality"),
        ).success(
            lambda result: QMessageBox.information(self, _("fieldkit"), import_report(result))
        ).run()

    def publish_form(self) -> Op[object] | None:
        from fieldkit.ui.dialogs.publish_form import publish_form

        assert self.profile is not None
        return publish_form(self, self.profile)

    def import_indicators(self) -> QDialog:
        from fieldkit.ui.dialogs.indicator_import import IndicatorImportDialog

        assert self.profile is not None
        dialog = IndicatorImportDialog(self.profile, self)
        dialog.open()
        return dialog

    # Reports -------------------------------------------------------------------------------

    def _report(self, kind: str, key: str) -> QDialog:
        from fieldkit.ui.dialogs.report_preview import show_report

        assert self.profile is not None
        return show_report(self, self.profile, kind, key)

    def report_assistance(self) -> QDialog | None:
        """The informe de asistencia técnica of the assistance selected in its list."""
        code = self.assistances_view().selected_code() if ASSISTANCES in self._views else None
        if self.nav.currentRow() != ASSISTANCES or code is None:
            QMessageBox.information(
                self,
                _("Informe de asistencia técnica"),
                _(
                    "Elija una asistencia en la lista «Asistencias técnicas» (Ctrl+2) y vuelva a intentarlo."
                ),
            )
            return None
        return self._report("assistance", code)

    def report_municipality(self) -> QDialog | None:
        """The ficha municipal of the municipality selected (or of the selected assistance's)."""
        code: str | None = None
        if self.nav.currentRow() == MUNICIPALITIES:
            code = self.municipalities_view().selected_code()
        elif self.nav.currentRow() == ASSISTANCES:
            row = self.assistances_view().selected()
            code = row.municipality_code if row is not None else None
        if code is None:
            QMessageBox.information(
                self,
                _("Ficha municipal"),
                _(
                    "Elija un municipio en la lista «Municipios» (Ctrl+1), o una asistencia, y vuelva a intentarlo."
                ),
            )
            return None
        return self._report("municipality", code)

    def export_workbook(self) -> Op[object] | None:
        """The monitoring workbook (.xlsx): every entity on its sheet, attendance optionally
        pseudonymized for sharing; in the background, with progress and Cancelar."""
        from PySide6.QtWidgets import QFileDialog, QInputDialog

        from fieldkit.services import workbook

        assert self.profile is not None
        named, identified = (
            _("Pseudonimizado: sin nombres ni documentos de los asistentes (para compartir)"),
            _("Completo: con nombres y documentos de los asistentes"),
        )
        choice, ok = QInputDialog.getItem(
            self,
            _("Libro de seguimiento"),
            _("Lista de asistentes:"),
            [named, identified],
            0,
            False,
        )
        if not ok:
            return None
        suggested = str(Path.home() / f"libro-seguimiento-{dt.date.today():%Y-%m-%d}.xlsx")
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Guardar libro de seguimiento"), suggested, _("Libro de Excel (*.xlsx)")
        )
        if not path:
            return None
        out = Path(path) if path.lower().endswith(".xlsx") else Path(path + ".xlsx")

        def done(result: workbook.WorkbookResult) -> None:
            rows = sum(result.sheets.values())
            self.statusBar().showMessage(
                _(
                    "Libro de seguimiento guardado: {path} ({rows} filas en {sheets} hojas).",
                    path=str(result.path),
                    rows=format_number(rows),
                    sheets=len(result.sheets),
                ),
                10_000,
            )

        return (
            Op(
                self,
                workbook.export_workbook,
                self.profile,
                out,
                pseudonymize=choice == named,
                label=_("Exportando el libro de seguimiento…"),
            )
            .success(done)
            .failure(lambda error: isinstance(error, workbook.ExportCancelled))
            .run()
        )

    def report_monitoring(self) -> QDialog | None:
        """The informe de seguimiento of a directorate the person picks."""
        from PySide6.QtWidgets import QInputDialog

        from fieldkit.services import catalog

        assert self.profile is not None
        rows = catalog.directorates(self.profile)
        if not rows:
            QMessageBox.information(
                self,
                _("Informe de seguimiento"),
                _(
                    "No hay direcciones territoriales: cárguelas en Catálogos → Direcciones territoriales…"
                ),
            )
            return None
        names = [f"{r.code} — {r.name}" for r in rows]
        chosen, ok = QInputDialog.getItem(
            self, _("Informe de seguimiento"), _("Dirección territorial:"), names, 0, False
        )
        if not ok:
            return None
        return self._report("monitoring", rows[names.index(chosen)].code)

    def load_example_directorates(self) -> None:
        from fieldkit.ui.dialogs.directorates import load_example

        assert self.profile is not None
        load_example(self, self.profile)

    def open_profile(self) -> QDialog:
        from fieldkit.ui.dialogs.profile import ProfileDialog

        assert self.profile is not None
        dialog = ProfileDialog(self.profile, self)
        dialog.open()
        return dialog

    def load_demo(self) -> QDialog:
        from fieldkit.ui.dialogs.demo import DemoDialog

        assert self.profile is not None
        dialog = DemoDialog(self.profile, self)
        dialog.chosen.connect(self.run_demo)
        dialog.open()
        return dialog

    def run_demo(self, scale: str, seed: int) -> Op[DemoSummary]:
        """Add demo data with progress and Cancelar; then every view refreshes."""
        from fieldkit.services import demo
        from fieldkit.services.changes import EVERYTHING
        from fieldkit.ui.dialogs.demo import demo_report

        def done(summary: DemoSummary) -> None:
            self.nav.setCurrentRow(ASSISTANCES)
            QMessageBox.information(self, _("Datos de demostración"), demo_report(summary))

        return (
            Op(
                self,
                demo.generate,
                self.profile,
                scale=scale,
                seed=seed,
                label=_("Preparando los datos de demostración…"),
                changes=EVERYTHING,
            )
            .success(done)
            .run()
        )

    def export_bundle(self) -> Op[object] | None:
        from fieldkit.ui.dialogs.sync import export_bundle

        assert self.profile is not None
        return export_bundle(self, self.profile)

    def import_bundles(self) -> Op[object] | None:
        from fieldkit.ui.dialogs.sync import import_files

        assert self.profile is not None
        return import_files(self, self.profile)

    def import_folder(self) -> Op[object] | None:
        from fieldkit.ui.dialogs.sync import import_folder

        assert self.profile is not None
        return import_folder(self, self.profile)

    last_import_dialog: QDialog | None = None
    last_export_dialog: QDialog | None = None
    last_sync_summary: str = ""

    def sync_now(self) -> Op[object] | None:
        from fieldkit.ui.dialogs.sync_folder import sync_now

        assert self.profile is not None
        return sync_now(self, self.profile)

    def _sync_on_start(self) -> None:
        from fieldkit.services import sync_folder
        from fieldkit.ui.dialogs.sync_folder import sync_now

        if self.profile is None:
            return
        chosen = sync_folder.settings(self.profile)
        if chosen.folder is not None and chosen.on_start:
            sync_now(self, self.profile, quiet=True)

    def choose_sync_folder(self) -> QDialog:
        from fieldkit.ui.dialogs.sync_folder import SyncFolderDialog

        assert self.profile is not None
        dialog = SyncFolderDialog(self.profile, self)
        dialog.open()
        return dialog

    def open_quarantine(self) -> QDialog:
        from fieldkit.ui.dialogs.quarantine import open_quarantine

        assert self.profile is not None
        return open_quarantine(self, self.profile)

    def create_enrol_request(self) -> Op[object] | None:
        from fieldkit.ui.dialogs.enrol import create_request

        assert self.profile is not None
        return create_request(self, self.profile)

    def accept_enrol_request(self) -> QDialog | None:
        from fieldkit.ui.dialogs.enrol import accept_request

        assert self.profile is not None
        return accept_request(self, self.profile)

    def complete_enrolment(self) -> Op[object] | None:
        from fieldkit.ui.dialogs.enrol import complete

        assert self.profile is not None
        return complete(self, self.profile)

    def choose_language(self, code: str) -> None:
        """Save the language for the next start; the open window keeps its own."""
        from fieldkit.settings import config_dir, preferred_language, save_user_settings
        from fieldkit.ui.language import restart_note

        try:
            save_user_settings(language=code)
        except OSError as exc:
            in_force = preferred_language() or get_language()
            self.language_actions.get(in_force, self.language_actions[code]).setChecked(True)
            QMessageBox.warning(
                self,
                _("fieldkit"),
                _(
                    "No se pudo guardar el idioma en {folder} ({error}). Revise los permisos "
                    "de esa carpeta e inténtelo de nuevo.",
                    folder=str(config_dir()),
                    error=exc.strerror or str(exc),
                ),
            )
            return
        QMessageBox.information(self, _("Idioma"), restart_note(code))

    def about(self) -> None:
        QMessageBox.about(
            self,
            _("Acerca de fieldkit"),
            _(
                "<h3>fieldkit {version}</h3><p>Asistencia técnica territorial sin conexión: "
                "diagnósticos, planes, visitas y entregables para las alcaldías.</p>"
                "<p>Funciona sin internet; los datos quedan en este equipo y se comparten "
                "con el coordinador mediante paquetes.</p>",
                version=__version__,
            ),
        )
