"""Zoom's tutorial, its complete Python example unchanged but for base URLs and credentials,
against a real `townhall serve` process; then its registration link opens the event page."""

import subprocess
import sys
from pathlib import Path

import httpx

from tests.server import running_server

SCRIPT = Path(__file__).with_name("create_and_publish_event.py")


def test_tutorial_runs_against_a_real_server(fresh_database_url, tmp_path):
    with running_server(fresh_database_url) as server:
        creds = server.credentials
        secret = creds["client_secret"]
        text = SCRIPT.read_text()
        text = text.replace("https://api.zoom.us", server.base_url).replace("https://zoom.us", server.base_url)
        text = text.replace("YOUR_CLIENT_ID", creds["client_id"]).replace("YOUR_CLIENT_SECRET", secret)
        script = tmp_path / "tutorial.py"
        script.write_text(text)
        run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)
        assert run.returncode == 0, run.stdout + run.stderr
        assert "SUCCESS Your event is ready" in run.stdout
        url = next(line.split(": ", 1)[1] for line in run.stdout.splitlines() if line.startswith("Registration URL: "))
        assert url.startswith(server.base_url + "/event/")
        page = httpx.get(url)
        assert page.status_code == 200
        assert "Q4 Town Hall: Looking Ahead to 2026" in page.text
        assert "Monday, December 15, 2025, 2:00 PM – 3:30 PM EST" in page.text
