"""Django's, django-axes' and the admin site's words, in our own Vietnamese catalogue.

Django's Vietnamese catalogue writes "Thêm vào thôn" for "Add village", "Bản ghi nhớ" for
"History" and "Thoát" for "Log out", and leaves the strings added since Django 4 ("Show
counts", "Please correct the error below.") in English; django-axes has no Vietnamese at all.
Our catalogue (``LOCALE_PATHS``) is read before theirs, so the right words go there, in the
app's own terms (Sửa, Thêm, Đăng xuất…).

``make messages`` runs makemessages with ``--no-obsolete``, which drops every entry that no
source file of ours mentions. This module mentions them: ``gettext_noop`` (and, for the plural
entries, ``ngettext_lazy``) marks each msgid exactly as Django or django-axes spell it, so the
translations stay in ``locale/vi``. Nothing reads these names at run time. When Django adds or
rewords an admin string, add it here and translate it; ``tests/test_admin_language.py`` walks
the admin pages in Vietnamese and fails on English it finds.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

# Django's admin site.
ADMIN_SITE = (
    gettext_noop("Change"),
    gettext_noop("Add"),
    gettext_noop("View"),
    gettext_noop("Add %(name)s"),
    gettext_noop("Add %s"),
    gettext_noop("Change %s"),
    gettext_noop("View %s"),
    gettext_noop("Select %s"),
    gettext_noop("Select %s to change"),
    gettext_noop("Select %s to view"),
    gettext_noop("Add another %(verbose_name)s"),
    gettext_noop("Change selected %(model)s"),
    gettext_noop("View selected %(model)s"),
    gettext_noop("Add another %(model)s"),
    gettext_noop("Delete selected %(model)s"),
    gettext_noop("Delete selected %(verbose_name_plural)s"),
    gettext_noop("Successfully deleted %(count)d %(items)s."),
    gettext_noop("Log out"),
    gettext_noop("Welcome,"),
    gettext_noop("View site"),
    gettext_noop("Site administration"),
    gettext_noop("Action:"),
    gettext_noop("Action"),
    gettext_noop("Go"),
    gettext_noop("Run the selected action"),
    gettext_noop("Recent actions"),
    gettext_noop("My actions"),
    gettext_noop("None available"),
    gettext_noop("Unknown content"),
    gettext_noop("Models in the %(name)s application"),
    gettext_noop("You don’t have permission to view or edit anything."),
    gettext_noop("Clear all filters"),
    gettext_noop(" By %(filter_title)s "),
    gettext_noop("Show counts"),
    gettext_noop("Hide counts"),
    gettext_noop("Any date"),
    gettext_noop("Past 7 days"),
    ngettext_lazy("Please correct the error below.", "Please correct the errors below."),
    gettext_noop("Save and add another"),
    gettext_noop("Save and continue editing"),
    gettext_noop("Save and view"),
    gettext_noop("Save as new"),
    gettext_noop("Close"),
    gettext_noop("Delete"),
    gettext_noop(
        "Deleting the %(object_name)s '%(escaped_object)s' would result in deleting related "
        "objects, but your account doesn't have permission to delete the following types of "
        "objects:"
    ),
    gettext_noop(
        "Deleting the %(object_name)s '%(escaped_object)s' would require deleting the "
        "following protected related objects:"
    ),
    gettext_noop(
        'Are you sure you want to delete the %(object_name)s "%(escaped_object)s"? All of the '
        "following related items will be deleted:"
    ),
    gettext_noop(
        "Deleting the selected %(objects_name)s would result in deleting related objects, but "
        "your account doesn't have permission to delete the following types of objects:"
    ),
    gettext_noop(
        "Deleting the selected %(objects_name)s would require deleting the following protected "
        "related objects:"
    ),
    gettext_noop(
        "Are you sure you want to delete the selected %(objects_name)s? All of the following "
        "objects and their related items will be deleted:"
    ),
    gettext_noop("Delete?"),
    gettext_noop("Yes, I’m sure"),
    gettext_noop("No, take me back"),
    gettext_noop("Delete multiple objects"),
    gettext_noop("Objects"),
    gettext_noop("Breadcrumbs"),
    gettext_noop("Skip to main content"),
    gettext_noop("Toggle theme (current theme: auto)"),
    gettext_noop("Toggle theme (current theme: light)"),
    gettext_noop("Toggle theme (current theme: dark)"),
    gettext_noop("Toggle navigation"),
    gettext_noop("Sidebar"),
    gettext_noop("Filter navigation items"),
    gettext_noop("Start typing to filter…"),
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("Select all objects on this page for an action"),
    gettext_noop("Select this object for an action - {}"),
    gettext_noop("Error:"),
    gettext_noop("Added:"),
    gettext_noop("Changed:"),
    gettext_noop("Deleted:"),
    ngettext_lazy("entry", "entries"),
    gettext_noop("Forgotten your login credentials?"),
    gettext_noop("In case you’ve forgotten, you are:"),
    gettext_noop(
        "This object doesn’t have a change history. It probably wasn’t added via this admin site."
    ),
    gettext_noop("%(full_result_count)s total"),
    gettext_noop("0 of %(cnt)s selected"),
    ngettext_lazy("%(total_count)s selected", "All %(total_count)s selected"),
    gettext_noop("Clear selection"),
    gettext_noop("Click here to select the objects across all pages"),
    gettext_noop("Currently:"),
    gettext_noop("Change:"),
    gettext_noop(
        "Items must be selected in order to perform actions on them. No items have been changed."
    ),
    gettext_noop("No action selected."),
    gettext_noop("Set password"),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
    gettext_noop(
        "This action will <strong>enable</strong> password-based authentication for this user."
    ),
    gettext_noop("Disable password-based authentication"),
    gettext_noop("Enable password-based authentication"),
    gettext_noop("log entry"),
    gettext_noop("log entries"),
)

# Django's forms, as the admin site shows them.
FORMS = (
    ngettext_lazy("Please submit at most %(num)d form.", "Please submit at most %(num)d forms."),
    ngettext_lazy("Please submit at least %(num)d form.", "Please submit at least %(num)d forms."),
    gettext_noop(
        "ManagementForm data is missing or has been tampered with. Missing fields: "
        "%(field_names)s. You may need to file a bug report if the issue persists."
    ),
    gettext_noop("%(from)s-%(to)s relationship"),
    gettext_noop("%(from)s-%(to)s relationships"),
    gettext_noop("“%(pk)s” is not a valid value."),
    gettext_noop("Null characters are not allowed."),
    gettext_noop("Enter a complete value."),
    gettext_noop("The inline value did not match the parent instance."),
    gettext_noop("Constraint “%(name)s” is violated."),
    gettext_noop("%(model)s instance with %(field)s %(value)r is not a valid choice."),
    gettext_noop("Ensure this value is a multiple of step size %(limit_value)s."),
    # Django's own Vietnamese leaves a space before the full stop in these four ("bằng với
    # 0 ."); a cell secretary meets the first two on the log form.
    gettext_noop("Ensure this value is greater than or equal to %(limit_value)s."),
    gettext_noop("Ensure this value is less than or equal to %(limit_value)s."),
    gettext_noop("Please correct the duplicate data for %(field)s."),
    gettext_noop(
        "Please correct the duplicate data for %(field_name)s which must be unique for the "
        "%(lookup)s in %(date_field)s."
    ),
)

# Django's user accounts (superusers only).
ACCOUNTS = (
    gettext_noop("Reset password"),
    gettext_noop("Password-based authentication"),
    gettext_noop("Enabled"),
    gettext_noop("Disabled"),
    gettext_noop(
        "Whether the user will be able to authenticate using a password or not. If disabled, "
        "they may still be able to authenticate using other backends, such as Single Sign-On "
        "or LDAP."
    ),
    gettext_noop("Raw passwords are not stored, so there is no way to see the user’s password."),
    gettext_noop("Enable password-based authentication for this user by setting a password."),
    gettext_noop("Password-based authentication was disabled."),
    gettext_noop("Conflicting form data submitted. Please try again."),
    gettext_noop("Set password: %s"),
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
    ),
)

# django-axes' login records (superusers only).
LOGIN_RECORDS = (
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("Access Attempt"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("Expires At"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("User Agent"),
    gettext_noop("IP Address"),
    gettext_noop("Username"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Path"),
    gettext_noop("Attempt Time"),
    gettext_noop("Access lock out"),
    gettext_noop("GET Data"),
    gettext_noop("POST Data"),
    gettext_noop("Failed Logins"),
    gettext_noop("Logout Time"),
    gettext_noop("Form Data"),
    gettext_noop("Meta Data"),
    gettext_noop("Locked Out"),
    gettext_noop("Attempt Remaining"),
    gettext_noop("Not set"),
    gettext_noop("Clean up expired attempts"),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("Account locked: too many login attempts. Please try again later."),
    gettext_noop(
        "Account locked: too many login attempts. Contact an admin to unlock your account."
    ),
)
