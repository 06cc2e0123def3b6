import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The interpreter with Debian's torch (python3 on PATH may be another one). */
export const PYTHON = '/usr/bin/python3';

/** A workspace folder whose own name is hostile (spaces, quotes, `$()`, `;`). */
export function hostileWorkspace(): string {
  const parent = mkdtempSync(join(tmpdir(), 'porta-ws-'));
  const root = join(parent, `my ws 'q' $(id); "x"`);
  mkdirSync(root);
  return root;
}

/** A small PyTorch training-ish script: prints args, device, a metric, and can fail or sleep on request. */
export const TORCH_SCRIPT = `import os, sys, time
import torch
device = os.environ.get("PORTA_DEVICE", "cpu")
print("args=" + repr(sys.argv[1:]), flush=True)
model = torch.nn.Linear(8, 2).to(device)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
x = torch.randn(32, 8, device=device)
for step in range(3):
    loss = model(x).pow(2).mean()
    opt.zero_grad(); loss.backward(); opt.step()
print('PORTA_METRIC {"name": "loss", "value": %f}' % loss.item(), flush=True)
if "--fail" in sys.argv:
    raise RuntimeError("deliberate failure")
if "--sleep" in sys.argv:
    import subprocess
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    print("sleeping with child", child.pid, flush=True)
    time.sleep(120)
print("done on", device, flush=True)
`;

export function writeScript(root: string, relPath: string, text = TORCH_SCRIPT): string {
  const full = join(root, relPath);
  mkdirSync(join(full, '..'), { recursive: true });
  writeFileSync(full, text);
  return relPath;
}

/** Arguments that break naive quoting. */
export const HOSTILE_ARGS = ['a b', "it's", '"dq"', '$(touch /tmp/porta-pwned)', '; echo pwned', 'line1\nline2', '`id`', '*'];
