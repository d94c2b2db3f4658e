"""One trial of the proof-of-savings sweep (docs/performance.md, "Proof of savings"): a small CNN
on scikit-learn's digits (upsampled to 16x16), python3-torch on CPU with one thread, deterministic for its arguments.

    train_trial.py --lr LR --width W --epochs E --result PATH

Each epoch it trains on the fixed training split, then logs `val_accuracy` (and `val_loss`,
`train_loss`) at step = epochs trained so far (1..E) through the mlcost Python client, delivers
them (`flush`) and asks the server whether to stop (`should_stop`, uncached). When the server's
pruner condemns the run the job writes its result with "pruned": true and waits, burning no CPU,
for `mlcost run` (polling should-stop with --prune-poll) to end it with SIGTERM, so the run is
recorded PRUNED. A job that is not ended within STOP_WAIT_S exits 3: the sweep fails loudly.

The result file (JSON) is rewritten after every epoch: run id, lr, width, epochs done, the
last epoch's val_accuracy / val_loss, and whether the job saw a stop.
"""
import argparse
import json
import os
import signal
import sys

import torch
from sklearn.datasets import load_digits

import mlcost

STOP_WAIT_S = 120
SPLIT_SEED = 20240501  # the validation split, the same for every trial
TRAIN_SEED = 7         # weights and batch order, the same for every trial
SIDE = 16              # the 8x8 digits are upsampled (bilinear) to SIDE x SIDE


def write_result(path, result):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(result, f)
    os.replace(tmp, path)


def make_model(width):
    return torch.nn.Sequential(
        torch.nn.Conv2d(1, width, 3, padding=1), torch.nn.ReLU(),
        torch.nn.Conv2d(width, 2 * width, 3, padding=1), torch.nn.ReLU(),
        torch.nn.MaxPool2d(2), torch.nn.Flatten(),
        torch.nn.Linear(2 * width * (SIDE // 2) ** 2, 10))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lr", type=float, required=True)
    ap.add_argument("--width", type=int, required=True)
    ap.add_argument("--epochs", type=int, required=True)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--result", required=True)
    args = ap.parse_args()
    if "MLCOST_RUN_ID" not in os.environ:
        sys.exit("train_trial.py: run me under `mlcost run` (MLCOST_RUN_ID is not set)")

    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    digits = load_digits()
    x = torch.tensor(digits.images, dtype=torch.float32).unsqueeze(1) / 16.0
    x = torch.nn.functional.interpolate(x, size=SIDE, mode="bilinear", align_corners=False)
    y = torch.tensor(digits.target, dtype=torch.long)
    perm = torch.randperm(len(x), generator=torch.Generator().manual_seed(SPLIT_SEED))
    n_val = len(x) // 5
    x_val, y_val = x[perm[:n_val]], y[perm[:n_val]]
    x_train, y_train = x[perm[n_val:]], y[perm[n_val:]]

    torch.manual_seed(TRAIN_SEED)
    model = make_model(args.width)
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9)
    shuffle = torch.Generator().manual_seed(TRAIN_SEED)

    client = mlcost.active_client()
    client.should_stop_cache_s = 0.0  # ask the server after every epoch, not a cached answer
    mlcost.log_params({"lr": args.lr, "width": args.width, "epochs": args.epochs, "batch_size": args.batch_size})
    result = {"run_id": os.environ["MLCOST_RUN_ID"], "lr": args.lr, "width": args.width, "epochs_done": 0,
              "val_accuracy": None, "val_loss": None, "pruned": False}

    for epoch in range(1, args.epochs + 1):
        model.train()
        order = torch.randperm(len(x_train), generator=shuffle)
        total = 0.0
        for i in range(0, len(order), args.batch_size):
            batch = order[i:i + args.batch_size]
            optimizer.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(x_train[batch]), y_train[batch])
            loss.backward()
            optimizer.step()
            total += loss.item() * len(batch)
        model.eval()
        with torch.no_grad():
            logits = model(x_val)
            val_loss = torch.nn.functional.cross_entropy(logits, y_val).item()
            val_accuracy = (logits.argmax(1) == y_val).float().mean().item()
        result.update(epochs_done=epoch, val_accuracy=val_accuracy, val_loss=val_loss)
        write_result(args.result, result)
        mlcost.log_metrics({"val_accuracy": val_accuracy, "val_loss": val_loss,
                            "train_loss": total / len(x_train)}, step=epoch)
        if not mlcost.flush(timeout=30):
            sys.exit("train_trial.py: the server did not take epoch %d's metrics within 30 s" % epoch)
        if epoch < args.epochs and mlcost.should_stop():
            result["pruned"] = True
            write_result(args.result, result)
            signal.signal(signal.SIGALRM, lambda *_: os._exit(3))
            signal.alarm(STOP_WAIT_S)
            while True:
                signal.pause()  # SIGTERM from `mlcost run` ends the process here


if __name__ == "__main__":
    main()
