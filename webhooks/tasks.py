from celery import shared_task

from .delivery import backoff, deliver


@shared_task(name="webhooks.deliver", acks_late=True)
def deliver_webhook(subscription_id, payload, attempt=1):
    """One delivery attempt; a failed one queues the next as a new task after the backoff (eager
    mode: at once, in process). Retries are tasks of their own, so each is recorded and a worker
    restart loses none."""
    outcome = deliver(subscription_id, payload, attempt)
    if outcome != "retry":
        return outcome
    deliver_webhook.apply_async((subscription_id, payload), {"attempt": attempt + 1}, countdown=backoff(attempt - 1))
    return "retrying"
