"""The deployment files: Dockerfile and compose.yaml (parsed, and built when a container engine
runs here), the systemd units (``systemd-analyze verify``), and the version written in one place."""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml
from dockerfile_parse import DockerfileParser

from core.version import __version__

ROOT = Path(__file__).resolve().parents[2]
SECRET_NAMES = re.compile(r"TOKEN|PASSWORD|SECRET|ACCESS_KEY", re.IGNORECASE)


def dockerfile() -> DockerfileParser:
    parser = DockerfileParser(path=str(ROOT / "Dockerfile"))
    return parser


def instructions(kind: str) -> list[str]:
    return [i["value"] for i in dockerfile().structure if i["instruction"] == kind]


def final_stage() -> list[dict[str, str]]:
    structure = dockerfile().structure
    last_from = max(index for index, item in enumerate(structure) if item["instruction"] == "FROM")
    return structure[last_from:]


def test_the_image_runs_as_a_non_root_user_with_data_in_one_volume() -> None:
    stage = final_stage()
    assert stage[0]["value"].startswith("python:3.11-slim")
    users = [i["value"] for i in stage if i["instruction"] == "USER"]
    assert users and users[-1].split(":")[0] not in ("root", "0")
    assert [i["value"] for i in stage if i["instruction"] == "VOLUME"] == ['["/data"]']
    env = dockerfile().envs
    assert env["TRAITDUNION_DB"].startswith("/data/") and env["MATRIX_STORE"].startswith("/data/")
    assert env["TRAITDUNION_HTTP_HOST"] == "0.0.0.0"
    assert [i["value"] for i in stage if i["instruction"] == "ENTRYPOINT"] == ['["traitdunion"]']


def test_the_healthcheck_hits_the_health_endpoint_on_the_configured_port() -> None:
    checks = instructions("HEALTHCHECK")
    assert len(checks) == 1 and "/healthz" in checks[0] and "TRAITDUNION_HTTP_PORT" in checks[0]
    assert dockerfile().envs["TRAITDUNION_HTTP_PORT"] in " ".join(instructions("EXPOSE")).split()


def test_no_secret_is_baked_into_the_image() -> None:
    for kind in ("ENV", "ARG", "LABEL"):
        for value in instructions(kind):
            assert not SECRET_NAMES.search(value), f"{kind} {value}"
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".env", "*.env", "*.db", ".git", "matrix-store"} <= set(ignored)


def test_every_copied_path_exists_and_every_package_is_copied() -> None:
    sources = [i["value"].split()[0] for i in dockerfile().structure if i["instruction"] == "COPY" and "--from" not in i["value"]]
    copied = set()
    for value in (i["value"] for i in dockerfile().structure if i["instruction"] == "COPY" and "--from" not in i["value"]):
        copied.update(value.split()[:-1])
    for source in copied:
        assert (ROOT / source).exists(), source
    packages = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]["include"]
    assert {p.rstrip("*") for p in packages} <= copied
    assert sources


def test_compose_wires_the_volume_the_healthcheck_and_secrets_from_an_env_file() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    bot = compose["services"]["bot"]
    assert "traitdunion-data:/data" in bot["volumes"]
    assert any("/healthz" in part for part in bot["healthcheck"]["test"])
    assert bot["env_file"] == ".env"
    assert not any(SECRET_NAMES.search(key) for key in bot.get("environment", {}))
    assert all(port.startswith("127.0.0.1:") for port in bot["ports"])  # published to the host only
    postgres = compose["services"]["postgres"]
    assert postgres["profiles"] == ["postgresql"] and "POSTGRES_PASSWORD" not in postgres["environment"]


def test_the_image_builds_when_a_container_engine_runs_here() -> None:
    engine = shutil.which("docker") or shutil.which("podman")
    alive = engine is not None and subprocess.run([engine, "info"], capture_output=True, timeout=30).returncode == 0
    if not alive:
        pytest.skip("no container engine runs on this machine: the image was not built (the Dockerfile is parsed above)")
    done = subprocess.run([engine, "build", "-t", "traitdunion:test", str(ROOT)], capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stderr[-3000:]
    version = subprocess.run([engine, "run", "--rm", "traitdunion:test", "--version"], capture_output=True, text=True, timeout=120)
    assert version.stdout.strip() == f"traitdunion {__version__}"


@pytest.mark.parametrize("unit", ["traitdunion.service", "traitdunion-backup.service", "traitdunion-backup.timer"])
def test_systemd_units_verify(unit: str) -> None:
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed here: units not verified")
    done = subprocess.run(["systemd-analyze", "verify", "--man=no", unit], capture_output=True, text=True, timeout=60, cwd=ROOT / "deploy")
    problems = [
        line
        for line in (done.stdout + done.stderr).splitlines()
        if line.strip() and "/opt/traitdunion/bin/traitdunion is not executable" not in line  # installed by the README's steps
    ]
    assert not problems, problems


def test_the_service_is_hardened_and_keeps_secrets_out_of_the_unit() -> None:
    text = (ROOT / "deploy" / "traitdunion.service").read_text()
    settings = dict(line.split("=", 1) for line in text.splitlines() if "=" in line and not line.startswith("#"))
    for key, value in {
        "User": "traitdunion",
        "StateDirectory": "traitdunion",
        "WorkingDirectory": "/var/lib/traitdunion",
        "ProtectSystem": "strict",
        "NoNewPrivileges": "yes",
        "Restart": "on-failure",
        "EnvironmentFile": "/etc/traitdunion/traitdunion.env",
    }.items():
        assert settings.get(key) == value, key
    assert not SECRET_NAMES.search("\n".join(line for line in text.splitlines() if line.startswith("Environment=")))


def test_the_version_is_written_in_one_place() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert "version" not in project and project["dynamic"] == ["version"]
    from importlib.metadata import version

    assert version("traitdunion") == __version__
    changelog = (ROOT / "CHANGELOG.md").read_text()
    assert "## [Unreleased]" in changelog and f"## [{__version__}]" in changelog
    done = subprocess.run([__import__("sys").executable, "-m", "bot.cli", "--version"], capture_output=True, text=True, cwd=ROOT)
    assert done.stdout.strip() == f"traitdunion {__version__}"
