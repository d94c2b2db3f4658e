"""The package installs with Debian's pip (--target: no system install) and the installed copy
imports and works without the source tree."""
import os
import shutil
import subprocess

from conftest import CLIENT_ROOT


def test_pip_install_target(tmp_path):
    source = tmp_path / "src-copy"  # pip may write build/ and *.egg-info beside the sources
    shutil.copytree(CLIENT_ROOT, source, ignore=shutil.ignore_patterns("__pycache__", "build", "*.egg-info"))
    target = tmp_path / "site"
    done = subprocess.run(["/usr/bin/python3", "-m", "pip", "install", "--no-build-isolation", "--no-deps",
                           "--no-index", "--quiet", "--target", str(target), str(source)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (target / "mlcost" / "checkpoint.py").is_file()
    check = ("import mlcost, mlcost.checkpoint, sys\n"
             "assert mlcost.__file__.startswith(sys.argv[1]), mlcost.__file__\n"
             "p = mlcost.checkpoint.save(b'hello', name='n', store='store')\n"
             "print(mlcost.__version__, mlcost.checkpoint.latest('store').name)\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PYTHONPATH"] = str(target)
    ran = subprocess.run(["/usr/bin/python3", "-c", check, str(target)], capture_output=True, text=True,
                         env=env, cwd=str(tmp_path), timeout=60)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.split() == ["0.1.0", "n"]
