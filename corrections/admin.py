"""Corrections in the admin: published through their own form (publish_correction), then kept as
they were published; no one edits or deletes a published correction."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from briefs.services.rendering import BriefMarkupInvalid

from .forms import CorrectionForm
from .models import Correction
from .publishing import CorrectionInvalid, can_correct, correctable_briefs, publish_correction


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    list_display = ("brief", "kind", "published_at", "by", "text")
    list_filter = ("kind",)
    search_fields = ("brief__title", "text", "was")
    date_hierarchy = "published_at"
    list_select_related = ("brief", "by")
    readonly_fields = [field.name for field in Correction._meta.fields]

    def has_add_permission(self, request):
        return can_correct(request.user)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        chosen = request.POST.get("brief") or request.GET.get("brief")
        brief = correctable_briefs().filter(pk=chosen).first() if str(chosen or "").isdigit() else None
        form = CorrectionForm(request.POST or None, brief=brief)
        if request.method == "POST" and form.is_valid():
            values = dict(form.cleaned_data)
            target = values.pop("brief")
            if not values["body"] or values["body"] == target.body:
                values["body"] = None
            try:
                with transaction.atomic():
                    correction = publish_correction(target, request.user, **values)
            except CorrectionInvalid as invalid:
                for field, problems in invalid.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
            except BriefMarkupInvalid as invalid:
                form.add_error("body", invalid.messages)
            else:
                self.message_user(
                    request, f"{correction.get_kind_display()} published on “{target}”.", messages.SUCCESS
                )
                return HttpResponseRedirect(reverse("admin:briefs_brief_change", args=[target.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": "Publish a correction or update",
            "form": form,
            "brief": brief,
            "opts": self.model._meta,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/corrections/correction/publish.html", context)
