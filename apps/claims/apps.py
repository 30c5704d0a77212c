from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "apps.claims"
    label = "claims"
    verbose_name = "Claims and curation"

    def ready(self) -> None:
        from apps.accounts.identity import held_records, record_holders
        from apps.trust.inputs import trust_input

        from . import (
            panels,  # noqa: F401  (registers the author page's claim panels)
            userdata,  # noqa: F401  (export and account deletion)
        )
        from .identity import held_record_names, record_holder
        from .notify import register_kinds
        from .trust_inputs import holder_inputs, repaired_works

        register_kinds()
        trust_input(holder_inputs)
        trust_input(repaired_works)
        held_records(held_record_names)
        record_holders(record_holder)
