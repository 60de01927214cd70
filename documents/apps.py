from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        from documents import demo as documents_demo
        from documents import desk_panel, printing, workflow
        from documents.outgoing import demo as outgoing_demo
        from documents.outgoing import desk_panel as outgoing_desk
        from office import calendar_years, demo, desk, roles

        roles.register_business_namespace("documents")
        desk.register_nav(desk.NavItem("documents", _("Incoming documents"), "documents:register",
                                       roles=frozenset(roles.BUSINESS_ROLES), order=20))
        desk.register_queues(desk.QueueSource("documents", desk_panel.queues, order=20))
        desk.register_nav(desk.NavItem("outgoing", _("Outgoing documents"), "documents:outgoing",
                                       roles=frozenset(roles.BUSINESS_ROLES), order=25))
        desk.register_panel(desk.DeskPanel("outgoing", _("Outgoing documents"),
                                           "documents/outgoing/_desk_panel.html", outgoing_desk.load, order=25))
        roles.register_grantable_permission("documents.apply_seal")
        roles.register_role_permissions(roles.SECURITY_ADMIN, {"documents.manage_seal"})
        for role in (roles.OFFICE_DIRECTOR, roles.COUNTY_LEADER):
            roles.register_role_permissions(role, {"documents.view_classified"})
        roles.register_grantable_permission("documents.view_classified")
        roles.register_role_permissions(roles.SYSTEM_ADMIN, {
            "documents.view_documenttype", "documents.add_documenttype",
            "documents.change_documenttype", "documents.view_urgencyrule",
            "documents.change_urgencyrule", "documents.view_documentsettings",
            "documents.change_documentsettings",
            "documents.view_issuingauthority", "documents.add_issuingauthority",
            "documents.change_issuingauthority", "documents.view_documentcode", "documents.add_documentcode",
            "documents.change_documentcode",
        })
        calendar_years.on_year_changed(workflow.recalculate_for_year)
        demo.register_demo_loader(documents_demo.load)
        demo.register_demo_loader(outgoing_demo.load)
        printing.register_samples()

        from documents import steps as document_steps
        from documents.outgoing import steps as outgoing_steps
        from office import audit

        audit.register_action_labels("documents", {s.name: s.label for s in document_steps.STEPS})
        audit.register_action_labels("documents", {
            "register": _("Registered"), "view": _("Document opened"), "open_copy": _("Copy opened"),
            "download_attachment": _("Attachment downloaded"), "export_register": _("Register exported"),
            "print_slip": _("Routing slip printed"), "recall_copy": _("Copy recalled")})
        audit.register_action_labels("outgoing", {s.name: s.label for s in outgoing_steps.STEPS})
        audit.register_action_labels("outgoing", {
            "create": _("Draft created"), "view": _("Document opened"), "preview": _("Preview printed"),
            "download_pdf": _("Issued PDF downloaded"), "export_register": _("Register exported"),
            "sign_for": _("Signed for"), "register_incoming": _("Registered as incoming")})
