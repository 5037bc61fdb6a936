"""Building the embedded Neo4j's launcher: the Maven project beside this module, around Neo4j's
`DatabaseManagementServiceBuilder` with the Bolt connector, rebuilt when its sources change."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

__all__ = ["TARGET_DIR", "Neo4jBuildError", "build_launcher", "find_java_home"]

PROJECT_DIR = Path(__file__).parent
TARGET_DIR = PROJECT_DIR / "target"
BUILD_STAMP = TARGET_DIR / ".cmdb-build-hash"
MIN_JAVA = 21


class Neo4jBuildError(RuntimeError):
    """Maven could not build the launcher; the message carries the end of its output."""


def find_java_home(explicit: str | None = None) -> Path:
    """The JDK to build and run Neo4j with: `explicit` if given, else the newest JDK of at
    least Java 21 under /usr/lib/jvm (Neo4j 2025.10+ runs on Java 21 and 25)."""
    if explicit:
        return Path(explicit)
    candidates: list[tuple[int, Path]] = []
    for release in Path("/usr/lib/jvm").glob("*/release"):
        match = re.search(r'JAVA_VERSION="(\d+)', release.read_text(errors="replace"))
        if match and int(match.group(1)) >= MIN_JAVA and (release.parent / "bin/javac").exists():
            candidates.append((int(match.group(1)), release.parent))
    if not candidates:
        raise Neo4jBuildError(
            f"No JDK {MIN_JAVA}+ found under /usr/lib/jvm; set CMDB_JAVA_HOME to one"
        )
    return max(candidates)[1]


def _sources_hash() -> str:
    digest = hashlib.sha256()
    for path in sorted([PROJECT_DIR / "pom.xml", *PROJECT_DIR.glob("src/**/*.java")]):
        digest.update(path.relative_to(PROJECT_DIR).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def build_launcher(
    java_home: Path, *, force: bool = False, on_build: Callable[[], None] | None = None
) -> bool:
    """Builds the launcher with Maven unless its sources are unchanged since the last build.
    Returns whether it built; `on_build` is called before Maven starts (a caller's progress
    line). The first build downloads Neo4j's jars (about 150 MB)."""
    wanted = _sources_hash()
    if not force and BUILD_STAMP.exists() and BUILD_STAMP.read_text() == wanted:
        return False
    mvn = shutil.which("mvn")
    if mvn is None:
        raise Neo4jBuildError("Maven (mvn) is not on PATH; it builds the embedded Neo4j")
    if on_build is not None:
        on_build()
    env = {**os.environ, "JAVA_HOME": str(java_home)}
    result = subprocess.run(
        [mvn, "-B", "-q", "-f", str(PROJECT_DIR / "pom.xml"), "clean", "package"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-40:])
        raise Neo4jBuildError(f"Maven failed to build the embedded Neo4j:\n{tail}")
    BUILD_STAMP.write_text(wanted)
    return True
