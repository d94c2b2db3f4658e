// The real npm `mlflow` client (2.0.7, tests/node/node_modules/mlflow) against the real
// `mlcost serve` on 127.0.0.1, port 0, in a temporary data directory.
//
// Client quirks (read from its source, lib/*.js):
// - Experiments.setExperimentTag posts to 'set-experiment-tag' without a leading slash, so the URL
//   becomes /experimentsset-experiment-tag: a client bug, not tested here.
// - There is no get-by-name method; Experiments.list() calls the 1.x experiments/list route.
// - Runs.create() sends experiment_id, user_id, start_time and tags only (no run_name).
// - Every POST body is console.log'ed; silenced below so the test output stays readable.
// - Any non-200 answer is thrown as Error(String(Error(JSON.stringify({status, statusText, data})))),
//   so the message reads "Error: {...}".
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

const MLflow = require('mlflow');

const BINARY = process.env.MLCOST_BINARY || path.resolve(__dirname, '..', '..', 'build', 'mlcost');
const START_TIMEOUT_MS = 20000;

let server = null;
let tmpDir = null;
let endpoint = null;
let client = null;
const realLog = console.log;

function startServer(dataDir) {
  return new Promise((resolve, reject) => {
    const child = spawn(BINARY, ['serve', '--data-dir', dataDir, '--host', '127.0.0.1', '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`mlcost serve did not start in time; stderr: ${err}`));
    }, START_TIMEOUT_MS);
    child.stderr.on('data', (d) => { err += d; });
    child.stdout.on('data', (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl < 0 || endpoint) return;
      const line = out.slice(0, nl);
      const m = /^mlcost listening on (http:\/\/127\.0\.0\.1:\d+) \(data dir (.*)\)$/.exec(line);
      clearTimeout(timer);
      if (!m) {
        child.kill('SIGKILL');
        reject(new Error(`unexpected first line: ${line}`));
        return;
      }
      endpoint = m[1];
      resolve(child);
    });
    child.on('exit', (code) => {
      if (!endpoint) {
        clearTimeout(timer);
        reject(new Error(`mlcost serve exited with ${code}; stderr: ${err}`));
      }
    });
  });
}

// SIGTERM; SIGKILL after 10 s. Resolves with {code, signal, ms}.
function stopServer(child) {
  return new Promise((resolve) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) {
      resolve({ code: child ? child.exitCode : null, signal: child ? child.signalCode : null, ms: 0 });
      return;
    }
    const t = Date.now();
    const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, ms: Date.now() - t });
    });
    child.kill('SIGTERM');
  });
}

// The client's thrown error -> {status, statusText, data}.
function mlflowError(e) {
  assert.ok(e instanceof Error, `expected an Error, got ${e}`);
  const text = e.message.replace(/^(Error: )+/, '');
  return JSON.parse(text);
}

async function expectMlflowError(promise, status, errorCode) {
  let thrown = null;
  try {
    await promise;
  } catch (e) {
    thrown = e;
  }
  assert.ok(thrown, 'the client should have thrown');
  const info = mlflowError(thrown);
  assert.equal(info.status, status, JSON.stringify(info));
  assert.equal(info.data.error_code, errorCode, JSON.stringify(info));
  assert.equal(typeof info.data.message, 'string');
  assert.ok(info.data.message.length > 0);
  return info;
}

before(async () => {
  assert.ok(fs.existsSync(BINARY), `mlcost binary not found at ${BINARY} (set MLCOST_BINARY)`);
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlcost-node-'));
  server = await startServer(path.join(tmpDir, 'data'));
  client = new MLflow({ endpoint });
  console.log = () => {};  // the client logs every POST body
});

after(async () => {
  console.log = realLog;
  // The client's isomorphic-unfetch uses Node's built-in fetch (undici) when it exists, else
  // node-fetch on the global http agent; both keep connections alive. Close them first: mlcost
  // (cpp-httplib 0.11.4) waits for idle keep-alive connections to time out (30 s) before it exits
  // on SIGTERM — a server issue covered by test_durability.py::test_sigterm_with_idle_keepalive_client.
  const undici = globalThis[Symbol.for('undici.globalDispatcher.1')];
  if (undici && typeof undici.destroy === 'function') await undici.destroy();
  http.globalAgent.destroy();
  const stopped = await stopServer(server);
  if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
  assert.deepEqual([stopped.code, stopped.signal], [0, null], `mlcost serve did not exit cleanly on SIGTERM (${stopped.ms} ms)`);
});

const sortByKey = (xs) => [...(xs || [])].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

test('experiments: create, get, list (1.x route), update, delete, restore', async () => {
  const { Experiments } = client;
  const name = `node-exp-${process.pid}-${Date.now()}`;
  const created = await Experiments.create({ name });
  assert.equal(typeof created.experiment_id, 'string');

  const { experiment } = await Experiments.get({ experiment_id: created.experiment_id });
  assert.equal(experiment.name, name);
  assert.equal(experiment.experiment_id, created.experiment_id);
  assert.equal(experiment.lifecycle_stage, 'active');
  assert.match(experiment.artifact_location, /^mlflow-artifacts:\//);

  // The client has no get-by-name; its list() uses MLflow 1.x's experiments/list.
  const listed = await Experiments.list();
  const names = listed.experiments.map((e) => e.name);
  assert.ok(names.includes(name), names.join(','));
  assert.ok(names.includes('Default'));

  await expectMlflowError(Experiments.create({ name }), 400, 'RESOURCE_ALREADY_EXISTS');

  const renamed = `${name}-renamed`;
  assert.deepEqual(await Experiments.update({ experiment_id: created.experiment_id, new_name: renamed }), {});
  assert.equal((await Experiments.get({ experiment_id: created.experiment_id })).experiment.name, renamed);

  assert.deepEqual(await Experiments.delete({ experiment_id: created.experiment_id }), {});
  assert.equal((await Experiments.get({ experiment_id: created.experiment_id })).experiment.lifecycle_stage, 'deleted');
  const active = await Experiments.list({ view_type: 'ACTIVE_ONLY' });
  assert.ok(!active.experiments.some((e) => e.experiment_id === created.experiment_id));
  const deleted = await Experiments.list({ view_type: 'DELETED_ONLY' });
  assert.ok(deleted.experiments.some((e) => e.experiment_id === created.experiment_id));

  assert.deepEqual(await Experiments.restore({ experiment_id: created.experiment_id }), {});
  assert.equal((await Experiments.get({ experiment_id: created.experiment_id })).experiment.lifecycle_stage, 'active');
});

test('runs: create, log metric/param/tag/batch, get, history, search, update, delete, restore', async () => {
  const { Experiments, Runs, Metrics, Artifacts } = client;
  const { experiment_id } = await Experiments.create({ name: `node-runs-${process.pid}-${Date.now()}` });
  const t0 = Date.now();

  const runs = [];
  for (let i = 0; i < 3; i++) {
    const { run } = await Runs.create({
      experiment_id,
      user_id: 'alice',
      start_time: t0 + i,
      tags: [{ key: 'mlflow.runName', value: `node-run-${i}` }, { key: 'team', value: 'vision' }],
    });
    assert.equal(run.info.experiment_id, experiment_id);
    assert.equal(run.info.user_id, 'alice');
    assert.equal(run.info.status, 'RUNNING');
    assert.equal(run.info.lifecycle_stage, 'active');
    assert.equal(run.info.run_name, `node-run-${i}`);
    assert.equal(Number(run.info.start_time), t0 + i);
    assert.match(run.info.artifact_uri, /^mlflow-artifacts:\//);
    runs.push(run.info.run_id);
  }
  const [a, b, c] = runs;

  // Single-value logging on run a.
  assert.deepEqual(await Runs.logMetric({ run_id: a, key: 'loss', value: 0.9, timestamp: t0, step: 0 }), {});
  assert.deepEqual(await Runs.logMetric({ run_id: a, key: 'loss', value: 0.5, timestamp: t0 + 10, step: 1 }), {});
  assert.deepEqual(await Runs.logParameter({ run_id: a, key: 'optimizer', value: 'adam' }), {});
  assert.deepEqual(await Runs.setTag({ run_id: a, key: 'stage', value: 'train' }), {});
  assert.deepEqual(await Runs.setTag({ run_id: a, key: 'tmp', value: 'x' }), {});
  assert.deepEqual(await Runs.deleteTag({ run_id: a, key: 'tmp' }), {});

  // Batch logging on every run: accuracy grows with the run index.
  for (let i = 0; i < runs.length; i++) {
    const res = await Runs.logBatch({
      run_id: runs[i],
      metrics: [
        { key: 'acc', value: 0.1 * (i + 1), timestamp: t0 + 20, step: 0 },
        { key: 'acc', value: 0.2 * (i + 1), timestamp: t0 + 30, step: 1 },
      ],
      params: [{ key: 'lr', value: i === 1 ? '0.1' : '0.01' }],
      tags: [{ key: 'batch', value: 'yes' }],
    });
    assert.deepEqual(res, {});
  }

  // get: the data logged above, latest metric values.
  const { run } = await Runs.get({ run_id: a });
  assert.equal(run.info.run_id, a);
  const metrics = sortByKey(run.data.metrics);
  assert.deepEqual(metrics.map((m) => [m.key, m.value, Number(m.step), Number(m.timestamp)]),
    [['acc', 0.2, 1, t0 + 30], ['loss', 0.5, 1, t0 + 10]]);
  assert.deepEqual(sortByKey(run.data.params), [{ key: 'lr', value: '0.01' }, { key: 'optimizer', value: 'adam' }]);
  const tags = Object.fromEntries(run.data.tags.map((t) => [t.key, t.value]));
  assert.equal(tags.stage, 'train');
  assert.equal(tags.batch, 'yes');
  assert.equal(tags.team, 'vision');
  assert.equal(tags['mlflow.runName'], 'node-run-0');
  assert.ok(!('tmp' in tags), 'deleted tag is gone');

  // Metric history: every point, in step order.
  const history = await Metrics.getHistory({ run_id: a, metric_key: 'loss' });
  const points = history.metrics.map((m) => [Number(m.step), m.value, Number(m.timestamp)])
    .sort((x, y) => x[0] - y[0]);
  assert.deepEqual(points, [[0, 0.9, t0], [1, 0.5, t0 + 10]]);

  // Search with metric and param filters, ordered.
  const found = await Runs.search({
    experiment_ids: [experiment_id],
    filter: "metrics.acc > 0.3 and params.lr = '0.01'",
    order_by: ['metrics.acc DESC'],
  });
  assert.deepEqual(found.runs.map((r) => r.info.run_id), [c]);
  const all = await Runs.search({
    experiment_ids: [experiment_id],
    filter: "tags.team = 'vision'",
    run_view_type: 'ACTIVE_ONLY',
    order_by: ['metrics.acc ASC'],
    max_results: 2,
  });
  assert.deepEqual(all.runs.map((r) => r.info.run_id), [a, b]);
  assert.ok(all.next_page_token, 'a second page exists');
  const page2 = await Runs.search({
    experiment_ids: [experiment_id],
    filter: "tags.team = 'vision'",
    order_by: ['metrics.acc ASC'],
    max_results: 2,
    page_token: all.next_page_token,
  });
  assert.deepEqual(page2.runs.map((r) => r.info.run_id), [c]);
  assert.ok(!page2.next_page_token);

  // Update to FINISHED.
  const endTime = Date.now();
  const updated = await Runs.update({ run_id: a, status: 'FINISHED', end_time: endTime });
  assert.equal(updated.run_info.run_id, a);
  assert.equal(updated.run_info.status, 'FINISHED');
  assert.equal(Number(updated.run_info.end_time), endTime);
  assert.equal((await Runs.get({ run_id: a })).run.info.status, 'FINISHED');

  // Artifacts list on a run with no artifacts yet.
  const listing = await Artifacts.list({ run_id: b });
  assert.equal(listing.root_uri, `mlflow-artifacts:/${experiment_id}/${b}/artifacts`);
  assert.ok(!listing.files || listing.files.length === 0);

  // Delete and restore.
  assert.deepEqual(await Runs.delete({ run_id: b }), {});
  assert.equal((await Runs.get({ run_id: b })).run.info.lifecycle_stage, 'deleted');
  const afterDelete = await Runs.search({ experiment_ids: [experiment_id] });
  assert.ok(!afterDelete.runs.some((r) => r.info.run_id === b));
  const onlyDeleted = await Runs.search({ experiment_ids: [experiment_id], run_view_type: 'DELETED_ONLY' });
  assert.deepEqual(onlyDeleted.runs.map((r) => r.info.run_id), [b]);
  await expectMlflowError(Runs.logMetric({ run_id: b, key: 'x', value: 1, timestamp: t0 }), 400,
    'INVALID_PARAMETER_VALUE');
  assert.deepEqual(await Runs.restore({ run_id: b }), {});
  assert.equal((await Runs.get({ run_id: b })).run.info.lifecycle_stage, 'active');

  // Param values are write-once.
  await expectMlflowError(Runs.logParameter({ run_id: a, key: 'optimizer', value: 'sgd' }), 400,
    'INVALID_PARAMETER_VALUE');

  // Delete the experiment: its runs leave ACTIVE_ONLY searches of it.
  assert.deepEqual(await Experiments.delete({ experiment_id }), {});
  assert.equal((await Experiments.get({ experiment_id })).experiment.lifecycle_stage, 'deleted');
});

test('errors: a missing run throws with 404 RESOURCE_DOES_NOT_EXIST', async () => {
  const { Runs, Metrics, Experiments } = client;
  const missing = 'ffffffffffffffffffffffffffffffff';
  await expectMlflowError(Runs.get({ run_id: missing }), 404, 'RESOURCE_DOES_NOT_EXIST');
  await expectMlflowError(Runs.logMetric({ run_id: missing, key: 'x', value: 1, timestamp: 1 }), 404,
    'RESOURCE_DOES_NOT_EXIST');
  await expectMlflowError(Metrics.getHistory({ run_id: missing, metric_key: 'x' }), 404,
    'RESOURCE_DOES_NOT_EXIST');
  await expectMlflowError(Experiments.get({ experiment_id: '424242' }), 404, 'RESOURCE_DOES_NOT_EXIST');
  // Bad input: a key outside MLflow's pattern.
  const { run } = await Runs.create({ experiment_id: '0', user_id: 'bob', start_time: Date.now() });
  await expectMlflowError(Runs.logMetric({ run_id: run.info.run_id, key: 'bad key!', value: 1, timestamp: 1 }),
    400, 'INVALID_PARAMETER_VALUE');
});
