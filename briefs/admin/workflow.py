"""The editorial workflow in the brief admin: a mixin BriefAdmin adopts.

- status and publication time change only through transitions: buttons on the change form (with a
  comment, and a time for scheduling) and changelist actions, each offered only to the roles allowed
  (briefs.services.workflow checks again); the brief's transitions are listed on its page. The
  buttons submit the brief form itself, so what is in it is saved first, with every check of a save,
  and a form that cannot be saved is shown again with its problems and nothing moves;
- Writers edit drafts only; Editors edit briefs in any state;
- every save is a revision (with the links); "History" lists the revisions with a readable diff of
  the body and deal facts, and restores any of them;
- optimistic locking: the form carries the version it was opened at; a save based on an older
  version is refused with who changed the brief and what, the editor's text kept in the form;
- who else has the brief open (heartbeat, static/briefs_admin/presence.js);
- signed preview links for reviewers without an account.
"""

import datetime
import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from dealsite import write_deadline
from dealsite.site_url import absolute_url

from ..models import BriefRevision
from ..services import locking, presence, previews, restoring, revisions, saving, workflow
from ..services.citations import CitationsMissing
from .submission import submission_for

WORKFLOW_READONLY = ("status", "published_at")


class VersionedBriefFormMixin:
    """Refuses a save based on an older version than the saved one (see briefs.services.locking)."""

    edit_conflict = None

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is None:
            return cleaned_data
        opened = cleaned_data.get("base_version")
        current = locking.lock_and_read_version(self.instance.pk)
        if opened is None:
            raise ValidationError("This form is missing its version: reload the page, then make your changes again.")
        if opened != current:
            self.edit_conflict = locking.conflict_for(self.instance.pk, opened)
            self.add_error(None, self.edit_conflict.message())
            # Saving again after merging is a deliberate overwrite of the version now shown.
            data = self.data.copy()
            data["base_version"] = str(current)
            self.data = data
        return cleaned_data


def _form_changed(form, formsets):
    return form.has_changed() or any(formset.has_changed() for formset in formsets)


def versioned_form(form_class, brief):
    return type(
        form_class.__name__,
        (VersionedBriefFormMixin, form_class),
        {"base_version": forms.IntegerField(widget=forms.HiddenInput, initial=brief.version, required=False)},
    )


class BriefWorkflowAdminMixin:
    """Mixed into BriefAdmin (before admin.ModelAdmin)."""

    actions = ["submit_selected", "return_selected_to_draft", "publish_selected", "withdraw_selected"]

    @property
    def media(self):
        return super().media + forms.Media(js=["briefs_admin/presence.js"])

    # Permissions: Writers edit drafts; status changes only through transitions.

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or workflow.can_edit(request.user, obj))

    def has_submit_permission(self, request):
        return workflow.is_allowed(request.user, "submit")

    def has_review_permission(self, request):
        return workflow.is_allowed(request.user, "return_to_draft")

    def has_publish_permission(self, request):
        return workflow.is_allowed(request.user, "publish")

    def has_withdraw_permission(self, request):
        return workflow.is_allowed(request.user, "withdraw")

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields + [name for name in (*WORKFLOW_READONLY, "transition_history") if name not in fields]

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None:
            fieldsets.append(("Workflow history", {"fields": ["transition_history"], "classes": ["collapse"]}))
        return fieldsets

    @admin.display(description="transitions")
    def transition_history(self, brief):
        if brief is None or brief.pk is None:
            return "—"
        rows = brief.transitions.select_related("by").order_by("-at", "-pk")[:50]
        if not rows:
            return "No transitions yet: the brief has been a draft since it was created."
        return format_html(
            '<table class="briefs-transitions"><thead><tr><th>when</th><th>who</th><th>from</th><th>to</th>'
            "<th>comment</th></tr></thead><tbody>{}</tbody></table>",
            format_html_join(
                "",
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                (
                    (
                        f"{t.at:%Y-%m-%d %H:%M} UTC",
                        presence.display_name(t.by) if t.by else "scheduler",
                        t.get_from_status_display(),
                        t.get_to_status_display(),
                        t.comment or "",
                    )
                    for t in rows
                ),
            ),
        )

    # The form: version for optimistic locking.

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None and "form" not in kwargs:
            kwargs["form"] = versioned_form(self.form, obj)
        return super().get_form(request, obj, change=change, **kwargs)

    # Saving: the admin hands the brief and its inline formsets to the one save path
    # (briefs.services.saving), which claims the version the form was opened at, renders, records
    # the revision and sends the events. Django's save_model/save_related order is kept: the brief
    # is saved, with its links, in save_related.

    def save_model(self, request, obj, form, change):
        pass

    def save_related(self, request, form, formsets, change):
        if change and self._form_action(request) and not _form_changed(form, formsets):
            # Nothing to save: a workflow button acts on the saved brief as it is (no new revision).
            for formset in formsets:
                formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            return
        request._briefs_form_saved = True

        def save_links(brief):
            form.save_m2m()
            for formset in formsets:
                self.save_formset(request, form, formset, change=change)

        saving.save_brief(
            form.instance,
            links=save_links,
            checked_body=submission_for(request).checked_body,
            user=request.user,
            opened_version=form.cleaned_data.get("base_version") if change else None,
            comment=lambda: self._revision_comment(request, form, formsets, change),
        )

    def _revision_comment(self, request, form, formsets, change):
        if not change:
            return "Created."
        message = self.construct_change_message(request, form, formsets, change)
        readable = LogEntry(change_message=json.dumps(message)).get_change_message() if message else ""
        return readable or "Saved."

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except locking.EditConflict as conflict:  # lost the race between the check and the write
            self.message_user(request, f"Not saved: {conflict.message()}", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        except write_deadline.WriteDeadlineExceeded as too_slow:  # rolled back: show the form again, as sent
            submission_for(request).refusal = str(too_slow)
            return super().changeform_view(request, object_id, form_url, extra_context)

    # The change form: workflow panel, presence, conflict details.

    def change_view(self, request, object_id, form_url="", extra_context=None):
        brief = self.get_object(request, unquote(object_id))
        context = dict(extra_context or {})
        if brief is not None:
            context.update(self.workflow_context(request, brief))
        return super().change_view(request, object_id, form_url, context)

    def workflow_context(self, request, brief):
        return {
            "workflow_status": brief.get_status_display(),
            "workflow_is_live": brief.is_live,
            "workflow_transitions": workflow.available_transitions(request.user, brief),
            "workflow_transition_url": reverse("admin:briefs_brief_transition", args=[brief.pk]),
            "workflow_preview_link_url": reverse("admin:briefs_brief_preview_link", args=[brief.pk]),
            "workflow_can_share_preview": brief.status in previews.PREVIEWABLE and not brief.is_live,
            "workflow_can_edit": workflow.can_edit(request.user, brief),
            "workflow_recent_transitions": list(brief.transitions.select_related("by").order_by("-at", "-pk")[:3]),
            "presence_url": reverse("briefs:presence", args=[brief.pk]),
            "presence_others": presence.heartbeat(brief.pk, request.user),
            "presence_interval": presence.heartbeat_interval(),
            "schedule_default": (timezone.now() + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        }

    # Extra admin pages.

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<path:object_id>/transition/", view(self.transition_view), name="briefs_brief_transition"),
            path("<path:object_id>/preview-link/", view(self.preview_link_view), name="briefs_brief_preview_link"),
            path(
                "<path:object_id>/revisions/<int:revision_pk>/", view(self.revision_view), name="briefs_brief_revision"
            ),
            path(
                "<path:object_id>/revisions/<int:revision_pk>/restore/",
                view(self.restore_view),
                name="briefs_brief_restore",
            ),
        ] + super().get_urls()

    def _brief_or_404(self, request, object_id):
        brief = self.get_object(request, unquote(object_id))
        if brief is None or not self.has_view_permission(request, brief):
            raise Http404("No such brief.")
        return brief

    def _back_to(self, brief):
        return HttpResponseRedirect(reverse("admin:briefs_brief_change", args=[brief.pk]))

    @staticmethod
    def _parse_when(value):
        try:
            when = datetime.datetime.fromisoformat((value or "").strip())
        except ValueError:
            raise workflow.TransitionInvalid("Give the publication date and time, e.g. 2026-12-01T09:00.") from None
        return timezone.make_aware(when) if timezone.is_naive(when) else when

    def transition_view(self, request, object_id):
        """A transition on its own, for a brief the user may not edit (nothing in a form to keep)."""
        if request.method != "POST":
            return self._back_to(self._brief_or_404(request, object_id))
        brief = self._brief_or_404(request, object_id)
        self._transition(request, brief, request.POST.get("transition", ""))
        return self._back_to(brief)

    def _transition(self, request, brief, name, saved=False):
        """Apply the transition `name` asked for in the request; the outcome is told in messages."""
        if name not in workflow.SPECS:
            raise Http404("No such transition.")
        comment = request.POST.get("comment", "").strip()
        label = workflow.SPECS[name].label
        kept = "Your changes were saved. " if saved else ""
        try:
            if name == "schedule":
                when = self._parse_when(request.POST.get("when"))
                workflow.schedule(brief, request.user, when, comment)
            else:
                workflow.TRANSITION_FUNCTIONS[name](brief, request.user, comment)
        except CitationsMissing as missing:
            self.message_user(
                request,
                f"{kept}Not submitted: the citation check found {len(missing.problems)} problem(s). "
                "Fix them (in the body, or in the figures of the brief's deals), save, and submit again.",
                messages.ERROR,
            )
            for problem in missing.problems:
                self.message_user(request, str(problem), messages.ERROR)
        except PermissionDenied as refused:
            self.message_user(request, f"{kept}{refused}", messages.ERROR)
        except ValidationError as invalid:
            self.message_user(request, f"{kept}{label}: {' '.join(invalid.messages)}", messages.ERROR)
        else:
            brief.refresh_from_db()
            self.message_user(
                request,
                f"{kept}“{brief}” is now {brief.get_status_display().lower()}.",
                messages.SUCCESS,
            )

    # Workflow buttons on the change form submit the brief form: save first (the admin's own save,
    # with every check), then act. A form that does not validate is shown again and nothing moves.

    def response_change(self, request, obj):
        if request.POST.get("transition") in workflow.SPECS:
            self._transition(request, obj, request.POST["transition"], saved=self._saved_anything(request))
            return self._back_to(obj)
        if "_preview_link" in request.POST:
            self._offer_preview_link(request, obj)
            return self._back_to(obj)
        return super().response_change(request, obj)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if request.method == "POST" and obj is not None:
            action = self._form_action(request)
            if action:
                self.message_user(
                    request,
                    f"Not done: “{action}” saves your changes first, and they cannot be saved as they are. "
                    "Nothing was saved and nothing changed; fix the problems shown below, then try again.",
                    messages.ERROR,
                )
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    @staticmethod
    def _form_action(request):
        """The label of the workflow button that submitted the brief form, if one did."""
        name = request.POST.get("transition")
        if name in workflow.SPECS:
            return workflow.SPECS[name].label
        if "_preview_link" in request.POST:
            return "Create a preview link"
        return None

    @staticmethod
    def _saved_anything(request):
        return getattr(request, "_briefs_form_saved", False)

    def preview_link_view(self, request, object_id):
        brief = self._brief_or_404(request, object_id)
        if request.method == "POST":
            self._offer_preview_link(request, brief)
        return self._back_to(brief)

    def _offer_preview_link(self, request, brief):
        if not (brief.status in previews.PREVIEWABLE and not brief.is_live):
            self.message_user(request, "Live or withdrawn briefs have no preview link.", messages.WARNING)
            return
        url = absolute_url(previews.preview_path(brief))
        days = previews.default_max_age() / 86400
        self.message_user(
            request,
            f"Preview link for reviewers without an account (works for {days:g} days, until the brief "
            f"is published or withdrawn): {url}",
            messages.SUCCESS,
        )

    def history_view(self, request, object_id, extra_context=None):
        """The brief's revisions, each with what it changed, and its transitions."""
        brief = self._brief_or_404(request, object_id)
        metas = list(revisions.revisions_of(brief)[:51])
        snapshots = [revisions.snapshot_of_revision(meta) for meta in metas]
        rows = []
        for index, meta in enumerate(metas[:50]):
            previous = snapshots[index + 1] if index + 1 < len(snapshots) else None
            summary = revisions.diff(previous, snapshots[index]).summary() if previous else "first revision"
            rows.append(
                {
                    "meta": meta,
                    "summary": summary,
                    "url": reverse("admin:briefs_brief_revision", args=[brief.pk, meta.pk]),
                }
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": brief,
            "title": f"History of “{brief}”",
            "revision_rows": rows,
            "transitions": brief.transitions.select_related("by").order_by("-at", "-pk"),
            "can_edit": self.has_change_permission(request, brief),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/briefs/brief/revisions.html", context)

    def _revision(self, brief, revision_pk):
        meta = BriefRevision.objects.select_related("revision__user").filter(brief=brief, pk=revision_pk).first()
        if meta is None:
            raise Http404("No such revision.")
        return meta

    def revision_view(self, request, object_id, revision_pk):
        """What a revision changed, and what restoring it would change now."""
        brief = self._brief_or_404(request, object_id)
        meta = self._revision(brief, revision_pk)
        this = revisions.snapshot_of_revision(meta)
        previous_meta = BriefRevision.objects.filter(brief=brief, pk__lt=meta.pk).order_by("-pk").first()
        made = revisions.diff(revisions.snapshot_of_revision(previous_meta), this) if previous_meta else None
        restoring = revisions.diff(revisions.snapshot_of_brief(brief), this)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": brief,
            "meta": meta,
            "made": made,
            "restoring": restoring,
            "title": f"Revision of {meta.revision.date_created:%Y-%m-%d %H:%M} UTC — “{brief}”",
            "history_url": reverse("admin:briefs_brief_history", args=[brief.pk]),
            "restore_url": reverse("admin:briefs_brief_restore", args=[brief.pk, meta.pk]),
            "can_restore": self.has_change_permission(request, brief) and not restoring.empty,
        }
        return TemplateResponse(request, "admin/briefs/brief/revision.html", context)

    def restore_view(self, request, object_id, revision_pk):
        brief = self._brief_or_404(request, object_id)
        meta = self._revision(brief, revision_pk)
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:briefs_brief_revision", args=[brief.pk, meta.pk]))
        if not self.has_change_permission(request, brief):
            raise PermissionDenied
        try:
            restoring.restore_revision(brief, meta, request.user)
        except (restoring.RestoreFailed, ValidationError) as failed:
            self.message_user(request, f"Not restored: {failed}", messages.ERROR)
            return HttpResponseRedirect(reverse("admin:briefs_brief_revision", args=[brief.pk, meta.pk]))
        self.message_user(
            request,
            f"Restored the revision of {meta.revision.date_created:%Y-%m-%d %H:%M} UTC "
            "(body, deal facts and links). The restore is itself a revision, so it can be undone.",
            messages.SUCCESS,
        )
        return self._back_to(brief)

    # Changelist actions: one transition on many briefs, each checked on its own.

    def _bulk(self, request, queryset, name):
        done, problems = 0, []
        for brief in queryset:
            try:
                workflow.TRANSITION_FUNCTIONS[name](brief, request.user, "Bulk action from the brief list.")
                done += 1
            except (PermissionDenied, ValidationError) as error:
                text = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
                problems.append(f"“{brief}”: {text}")
        label = workflow.SPECS[name].label
        if done:
            self.message_user(request, f"{label}: {done} brief(s) done.", messages.SUCCESS)
        for problem in problems:
            self.message_user(request, f"{label} refused for {problem}", messages.ERROR)

    @admin.action(description="Submit selected briefs for review", permissions=["submit"])
    def submit_selected(self, request, queryset):
        self._bulk(request, queryset, "submit")

    @admin.action(description="Return selected briefs to draft", permissions=["review"])
    def return_selected_to_draft(self, request, queryset):
        self._bulk(request, queryset, "return_to_draft")

    @admin.action(description="Publish selected briefs now", permissions=["publish"])
    def publish_selected(self, request, queryset):
        self._bulk(request, queryset, "publish")

    @admin.action(description="Withdraw selected briefs", permissions=["withdraw"])
    def withdraw_selected(self, request, queryset):
        self._bulk(request, queryset, "withdraw")
