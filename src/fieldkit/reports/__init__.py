"""PDF reports (DESIGN §8): the acta de entrega, the informe de asistencia técnica, the ficha
municipal and the informe de seguimiento of a directorate.

Each report module takes the plain values of `fieldkit.reports.model` and writes a PDF with
reportlab; it never reads the store or calls a service (fieldkit.services.reports assembles the
values). Import the modules directly: reportlab loads only when a report is made.
"""
