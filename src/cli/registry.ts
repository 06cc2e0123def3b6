import type { Command } from './command';

// Loaded lazily so that `porta scan` never pays for ONNX Runtime or SSH code.
export const COMMANDS: Record<string, () => Command> = {
  run: () => require('./commands/run').command,
  targets: () => require('./commands/targets').command,
  runs: () => require('./commands/runs').command,
  cancel: () => require('./commands/cancel').command,
  bench: () => require('./commands/bench').command,
  compare: () => require('./commands/compare').command,
  doctor: () => require('./commands/doctor').command,
  fix: () => require('./commands/fix').command,
  scan: () => require('./commands/scan').command,
};
