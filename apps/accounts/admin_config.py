from django.contrib.admin.apps import AdminConfig


class PeerageAdminConfig(AdminConfig):
    """django.contrib.admin with a site that signs in through allauth (admin_site.py)."""

    default_site = "apps.accounts.admin_site.PeerageAdminSite"
