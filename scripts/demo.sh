#!/usr/bin/env bash
# Sets everything up on a fresh Debian 12 machine, builds git-model, generates example
# checkpoints with Debian's PyTorch, and inspects them.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh release
out="build/examples"
/usr/bin/python3 scripts/gen_fixtures.py build/fixtures >/dev/null
rm -rf "$out" && cp -r build/fixtures/examples "$out"
export PATH="$PWD/build:$PATH"
run() { echo; echo "\$ $*"; "$@"; }
for f in "$out"/*; do
  run git-model inspect "$f"
done
run git-model inspect --tensors "$out/model_best.pth"
run git-model inspect --stats "$out/model_best.safetensors"

# Birth certificates: a throwaway repository with a config and an uncommitted edit, a stamp, and
# what the stamped checkpoint tells about itself.
demo=$(mktemp -d /tmp/git-model-demo.XXXXXX)
cp "$out/model_best.pth" "$demo/"
(
  cd "$demo"
  export HOME="$demo/home" GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=Demo GIT_AUTHOR_EMAIL=demo@example.com \
         GIT_COMMITTER_NAME=Demo GIT_COMMITTER_EMAIL=demo@example.com
  mkdir -p home
  git init -q -b main
  printf 'optimizer:\n  name: adamw\n  lr: 3.0e-4\nbatch_size: 64\n' >train.yaml
  printf '*.pth\nhome/\n' >.gitignore
  printf '[params]\nfiles = ["train.yaml"]\n' >.git-model.toml
  git add . && git commit -qm "demo project"
  printf 'warmup_steps: 500\n' >>train.yaml
  run git model stamp model_best.pth --config train.yaml --metric val_acc=0.91
  run git model show model_best.pth
  run git model show --patch model_best.pth
  run git model verify model_best.pth

  # History of values and checkpoints: a second training step, compared tensor by tensor, and
  # the hyperparameter change found in git history.
  git add -f model_best.pth train.yaml && git commit -qm "first stamped checkpoint"
  sed -i 's/lr: 3.0e-4/lr: 1.0e-4/' train.yaml
  /usr/bin/python3 - <<'PY'
import torch
ckpt = torch.load("model_best.pth")
def nudge(node, left=[3]):  # a training step: move the first three float tensors a little
    items = node.values() if isinstance(node, dict) else node if isinstance(node, (list, tuple)) else []
    for value in items:
        if left[0] and torch.is_tensor(value) and value.is_floating_point():
            value.add_(0.01 * torch.randn_like(value))
            left[0] -= 1
        else:
            nudge(value)
nudge(ckpt)
ckpt["epoch"] = ckpt.get("epoch", 0) + 1
torch.save(ckpt, "model_best.pth")
PY
  git commit -qam "lower the learning rate"
  run git model diff HEAD~1:model_best.pth model_best.pth
  run git model params
  run git model blame optimizer.lr
)
echo
echo "Checkpoints are in $out, the stamped demo repository in $demo;"
echo "try: PATH=\$PWD/build:\$PATH git model stamp --help"
