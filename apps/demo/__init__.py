"""The demo community: synthetic researchers, records, claims, queues, follows and
conversations that `manage.py seed_demo` loads for development and tests.

A development-only app. It sits on top of every product app and reaches them through their
public services and models; no product app imports it, and production settings do not install
it (config/settings/demo.py adds it to a production-shaped deploy on purpose). `seed.STEPS`
lists what is seeded, in order.
"""
