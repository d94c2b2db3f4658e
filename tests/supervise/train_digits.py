"""A small real training job for the end-to-end tests: an MLP on scikit-learn's digits with
python3-torch on CPU, deterministic for a seed, checkpointing every epoch through the mlcost
Python client and logging its metrics with it.

    train_digits.py OUT_DIR [RESUME_PATH]

Writes OUT_DIR/pid (its pid, for a test to kill it), appends "epoch N" to OUT_DIR/progress when
an epoch starts, and at the end OUT_DIR/result.json with the final weights' sha256 and the test
accuracy. EPOCHS and EPOCH_SLEEP (seconds of extra "work" per epoch) come from the environment.
"""
import hashlib
import io
import json
import os
import sys
import time

import torch
from sklearn.datasets import load_digits

import mlcost

tracked = "MLCOST_RUN_ID" in os.environ  # under `mlcost run`; the reference run is plain
out_dir = sys.argv[1]
resume = sys.argv[2] if len(sys.argv) > 2 else ""
epochs = int(os.environ.get("EPOCHS", "24"))
epoch_sleep = float(os.environ.get("EPOCH_SLEEP", "0.3"))
with open(os.path.join(out_dir, "pid"), "w") as f:
    f.write(str(os.getpid()))

torch.manual_seed(7)
torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)
digits = load_digits()
x = torch.tensor(digits.data, dtype=torch.float32) / 16.0
y = torch.tensor(digits.target, dtype=torch.long)
x_train, y_train, x_test, y_test = x[:1500], y[:1500], x[1500:], y[1500:]
model = torch.nn.Sequential(torch.nn.Linear(64, 64), torch.nn.ReLU(), torch.nn.Linear(64, 10))
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
shuffle = torch.Generator().manual_seed(11)
start_epoch = 0

if resume:
    state = torch.load(resume, weights_only=False)
    model.load_state_dict(state["model"])
    optimizer.load_state_dict(state["optimizer"])
    shuffle.set_state(state["shuffle"])
    torch.set_rng_state(state["rng"])
    start_epoch = state["epoch"] + 1
    print("resumed after epoch %d from %s" % (state["epoch"], resume), flush=True)

for epoch in range(start_epoch, epochs):
    with open(os.path.join(out_dir, "progress"), "a") as f:
        f.write("epoch %d\n" % epoch)
    order = torch.randperm(len(x_train), generator=shuffle)
    total = 0.0
    for i in range(0, len(order), 100):
        batch = order[i:i + 100]
        optimizer.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(x_train[batch]), y_train[batch])
        loss.backward()
        optimizer.step()
        total += loss.item() * len(batch)
    time.sleep(epoch_sleep)
    if not tracked:
        continue
    mlcost.log_metric("train_loss", total / len(x_train), step=epoch)
    state = {"model": model.state_dict(), "optimizer": optimizer.state_dict(), "shuffle": shuffle.get_state(),
             "rng": torch.get_rng_state(), "epoch": epoch}
    # Under `mlcost run` this writes the file atomically into $MLCOST_CHECKPOINT_DIR; the agent
    # commits it to the run's store.
    mlcost.checkpoint.save(lambda path: torch.save(state, path), name="epoch-%03d" % epoch, step=epoch)

with torch.no_grad():
    accuracy = (model(x_test).argmax(1) == y_test).float().mean().item()
buf = io.BytesIO()
for key, tensor in sorted(model.state_dict().items()):
    buf.write(key.encode())
    buf.write(tensor.numpy().tobytes())
result = {"sha256": hashlib.sha256(buf.getvalue()).hexdigest(), "accuracy": accuracy}
if tracked:
    mlcost.log_metric("test_accuracy", accuracy, step=epochs)
    mlcost.flush()
with open(os.path.join(out_dir, "result.json"), "w") as f:
    json.dump(result, f)
print("result", json.dumps(result), flush=True)
