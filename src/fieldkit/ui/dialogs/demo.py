"""Choose how much demo data to add (size and seed), saying plainly that it is fictitious and added."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QRadioButton,
    QSizePolicy,
    QSpinBox,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from fieldkit.i18n import N_, _, format_number
from fieldkit.services import demo
from fieldkit.ui.widgets.common import fit_height

if TYPE_CHECKING:
    from fieldkit.services.demo import DemoSummary
    from fieldkit.services.profile import Profile

# (scale name in demo.SCALES, label with its mnemonic, how long it takes)
SIZES = (
    ("small", N_("&Recorrido"), N_("unos segundos")),
    ("national", N_("Año &nacional"), N_("puede tardar cerca de un minuto")),
)
MAX_SEED = 999_999


def size_text(name: str) -> str:
    scale = demo.SCALES[name]
    return _(
        "Unas {assistances} asistencias técnicas en {municipalities} municipios, con "
        "{persons} personas.",
        assistances=format_number(scale.assistances),
        municipalities=format_number(scale.municipalities),
        persons=format_number(scale.persons),
    )


def demo_report(summary: DemoSummary) -> str:
    if summary.cancelled:
        text = _(
            "Carga de datos de demostración detenida: {summary}. Lo que alcanzó a registrarse "
            "se conserva.",
            summary=str(summary),
        )
    else:
        text = _("Datos de demostración agregados: {summary}.", summary=str(summary))
    if summary.directorates_loaded:
        text += "\n\n" + _(
            "Como no había direcciones territoriales, se cargó la agrupación de ejemplo "
            "(no es oficial)."
        )
    return text


class DemoDialog(QDialog):
    chosen = Signal(str, int)  # scale name, seed: the window runs it with progress and Cancelar

    def __init__(self, profile: Profile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(_("Cargar datos de demostración"))
        self.setMinimumWidth(560)

        device = profile.values.get("device_name") or "fieldkit"
        self.warning = QLabel(
            _(
                "<b>Se AGREGARÁN registros ficticios a este perfil ({device}):</b> personas "
                "inventadas y asistencias técnicas con su historial de estados. No se borra ni "
                "se reemplaza nada, pero después no se pueden quitar de una vez: cárguelos en "
                "un perfil de prueba o de capacitación, no en el de trabajo.",
                device=escape(device),
            ),
            self,
        )
        self.warning.setWordWrap(True)
        self.warning.setTextFormat(Qt.TextFormat.RichText)
        self.warning.setStyleSheet("color: #7a4b00;")

        box = QGroupBox(_("Tamaño"), self)
        box_layout = QVBoxLayout(box)
        self.group = QButtonGroup(self)
        self.sizes: dict[str, QRadioButton] = {}
        indent = self.style().pixelMetric(QStyle.PixelMetric.PM_ExclusiveIndicatorWidth) + 8
        for name, label, duration in SIZES:
            radio = QRadioButton(_("{size} ({duration})", size=_(label), duration=_(duration)), box)
            self.sizes[name] = radio
            self.group.addButton(radio)
            description = QLabel(size_text(name), box)
            description.setWordWrap(True)
            description.setContentsMargins(indent, 0, 0, 4)
            box_layout.addWidget(radio)
            box_layout.addWidget(description)
        self.sizes["small"].setChecked(True)

        self.seed = QSpinBox(self)
        self.seed.setRange(1, MAX_SEED)
        self.seed.setValue(1)
        self.seed.setAccessibleName(_("Semilla"))
        seed_note = QLabel(
            _("La misma semilla repite los mismos nombres, municipios y fechas."), self
        )
        seed_note.setWordWrap(True)
        self.seed.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.seed.setMinimumWidth(self.seed.fontMetrics().horizontalAdvance("0" * 9) + 40)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(_("&Semilla:"), self.seed)
        form.addRow("", seed_note)

        self.example_note = QLabel(
            _(
                "Si el perfil no tiene direcciones territoriales, se carga también la agrupación "
                "de ejemplo (no es oficial)."
            ),
            self,
        )
        self.example_note.setWordWrap(True)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(_("&Agregar datos ficticios"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancelar"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.warning)
        layout.addSpacing(4)
        layout.addWidget(box)
        layout.addLayout(form)
        layout.addWidget(self.example_note)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.resize(self.minimumWidth(), 0)  # the layout's minimum, then what wrapped text needs
        fit_height(self)

    def scale(self) -> str:
        return next(name for name, radio in self.sizes.items() if radio.isChecked())

    def accept(self) -> None:
        scale, seed = self.scale(), self.seed.value()
        super().accept()  # gone before the work starts, so only its progress shows
        self.chosen.emit(scale, seed)
