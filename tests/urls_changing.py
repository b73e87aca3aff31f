"""A URLconf a test changes in place, to show that resolved paths follow a changed URLconf."""

urlpatterns = []
