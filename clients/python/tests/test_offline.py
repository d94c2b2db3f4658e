"""The server goes away (connection refused, 5xx, gone at exit): logging calls return at once and
never raise, and every point is delivered later, in the order it was logged."""
import glob
import os
import subprocess
import sys

import mlcost
from conftest import CLIENT_ROOT, create_run, metric_history


def spool_files(directory):
    return [p for p in glob.glob(os.path.join(directory, "*.jsonl")) if os.path.getsize(p) > 0]


def test_server_down_then_back_delivers_everything_in_order(server_factory, proxy_factory, tmp_path):
    srv = server_factory.start()
    proxy = proxy_factory(srv.url)
    client = mlcost.Client(tracking_uri=proxy.url, flush_interval=0.05)
    client.start_run(name="outage")
    logged = []
    for i in range(100):
        client.log_metric("loss", i, step=i)
        logged.append(i)
    assert client.flush(timeout=30)

    proxy.down()  # connection refused from here on
    data_dir = srv.data_dir
    srv.stop()
    for i in range(100, 3100):
        client.log_metric("loss", i, step=i)  # returns at once: nothing is sent from this thread
        logged.append(i)
    client.log_param("phase", "during-outage")
    client.set_tag("outage", "yes")
    assert client.pending() > 0
    assert client.flush(timeout=0.5) is False  # not delivered, and no exception

    srv2 = server_factory.start(data_dir=data_dir)
    proxy.target = srv2.url
    proxy.up()
    assert client.flush(timeout=120) is True
    client.end_run()
    assert sorted(p["step"] for p in metric_history(srv2, client.run_id, "loss")) == logged
    assert [m["step"] for m in proxy.delivered("metrics")] == logged  # each once, in order
    run = srv2.mlflow_get("runs/get", {"run_id": client.run_id}).json()["run"]
    assert {p["key"]: p["value"] for p in run["data"]["params"]} == {"phase": "during-outage"}
    assert run["info"]["status"] == "FINISHED"


def test_over_the_memory_cap_items_go_to_the_spool_file_and_keep_their_order(server, proxy_factory, tmp_path):
    proxy = proxy_factory(server.url)
    run = create_run(server)
    spool_dir = str(tmp_path / "spool")
    client = mlcost.Client(tracking_uri=proxy.url, run_id=run["info"]["run_id"], max_buffered=300,
                           spool_dir=spool_dir, flush_interval=0.05)
    proxy.down()
    for i in range(2000):
        client.log_metric("x", i, step=i)
    assert spool_files(spool_dir), "nothing was spooled although 2000 items exceed the cap of 300"
    assert len(client._batcher._mem) < 300  # memory stays under the cap
    proxy.up()
    assert client.flush(timeout=120)
    assert [m["step"] for m in proxy.delivered("metrics")] == list(range(2000))
    assert sorted(p["step"] for p in metric_history(server, client.run_id, "x")) == list(range(2000))
    client.close()
    assert spool_files(spool_dir) == []


def test_5xx_answers_are_retried(server, proxy_factory):
    proxy = proxy_factory(server.url)
    run = create_run(server)
    client = mlcost.Client(tracking_uri=proxy.url, run_id=run["info"]["run_id"], flush_interval=0.05)
    proxy.fail_status = 503
    for i in range(50):
        client.log_metric("y", i, step=i)
    assert client.flush(timeout=0.5) is False
    assert proxy.count("/runs/log-batch") >= 1  # it tried, got 503 and kept the points
    proxy.fail_status = None
    assert client.flush(timeout=60) is True
    assert sorted(p["step"] for p in metric_history(server, client.run_id, "y")) == list(range(50))
    client.close()


def test_what_close_could_not_deliver_is_delivered_by_the_next_client_of_the_run(server, proxy_factory, tmp_path):
    proxy = proxy_factory(server.url)
    run_id = create_run(server)["info"]["run_id"]
    spool_dir = str(tmp_path / "spool")
    proxy.down()
    first = mlcost.Client(tracking_uri=proxy.url, run_id=run_id, spool_dir=spool_dir)
    for i in range(50):
        first.log_metric("z", i, step=i)
    assert first.close(timeout=0.2) is False
    assert len(spool_files(spool_dir)) == 1
    proxy.up()
    second = mlcost.Client(tracking_uri=proxy.url, run_id=run_id, spool_dir=spool_dir)
    second.log_metric("z", 50, step=50)
    assert second.flush(timeout=60)
    assert [m["step"] for m in proxy.delivered("metrics")] == list(range(51))  # the old ones first
    second.close()
    assert spool_files(spool_dir) == []
    assert sorted(p["step"] for p in metric_history(server, run_id, "z")) == list(range(51))


def test_points_logged_just_before_exit_are_delivered_at_exit(server, tmp_path):
    run_id = create_run(server)["info"]["run_id"]
    script = ("import mlcost\n"
              "for i in range(25):\n"
              "    mlcost.log_metric('exit', i, step=i)\n")
    env = dict(os.environ, PYTHONPATH=os.path.join(CLIENT_ROOT, "src"), MLCOST_TRACKING_URI=server.url,
               MLCOST_RUN_ID=run_id, MLCOST_FLUSH_INTERVAL="3600")
    done = subprocess.run([sys.executable, "-c", script], env=env, cwd=str(tmp_path), capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert sorted(p["step"] for p in metric_history(server, run_id, "exit")) == list(range(25))


def test_leaving_the_run_block_while_the_server_is_down_does_not_raise(server, proxy_factory, tmp_path, caplog):
    proxy = proxy_factory(server.url)
    client = mlcost.Client(tracking_uri=proxy.url, exit_timeout=0.2, spool_dir=str(tmp_path / "spool"))
    with client.start_run(name="ends-offline"):
        client.log_metric("w", 1.0)
        proxy.down()
        client.log_metric("w", 2.0, step=1)
    assert "could not end run" in caplog.text
    assert client.close(timeout=0.1) is False
    assert len(spool_files(str(tmp_path / "spool"))) == 1  # kept for the next client of the run
