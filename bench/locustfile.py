"""Locust (FastHttpUser) running bench/suites/bench.yaml's conversation against the mock:
create, then 3 sends with the same bodies as convoy and Artillery, no think time inside a
conversation; bench/run.sh paces each user so that the whole test starts the same number of
conversations per second as convoy --rate and Artillery's arrivalRate (docs/performance.md)."""
import os

from locust import constant_pacing, task
from locust.contrib.fasthttp import FastHttpUser

FORM_ID = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
TURNS = [
    "Hi, I'm Dana Levi, my phone is +1 415 555 0100",
    "my email is dana@example.com and subscribe me to the newsletter",
    "Company: Acme Ltd",
]


class Lead(FastHttpUser):
    # Loopback only; host comes from --host. BENCH_PACING_S: one conversation per user
    # every that many seconds (bench/run.sh sets users / rate); unset: back to back.
    pacing = float(os.environ.get("BENCH_PACING_S", "0"))
    if pacing > 0:
        wait_time = constant_pacing(pacing)

    @task
    def conversation(self):
        with self.client.post("/", json={"formId": FORM_ID, "dryRun": True},
                              name="create", catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"create {r.status_code}")
                return
            session = r.json()["interactiveFormSession"]["id"]
        for text in TURNS:
            with self.client.post(f"/{session}/send-user-message",
                                  json={"input": text, "interactiveFormSessionId": session},
                                  name="send", catch_response=True) as r:
                if r.status_code != 200:
                    r.failure(f"send {r.status_code}")
                    return
                r.json()  # parse the chunks, as convoy does
