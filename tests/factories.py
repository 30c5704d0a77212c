import factory
from allauth.account.models import EmailAddress

from apps.accounts.models import User

TEST_PASSWORD = "Test-Password-42"


class UserFactory(factory.django.DjangoModelFactory):
    """A user who can sign in: a usable password and a verified primary email address."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Faker("name")
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)
