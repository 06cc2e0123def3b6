import type { Command } from './command';

// Loaded lazily so that `porta scan` never pays for ONNX Runtime or SSH code.
export const COMMANDS: Record<string, () => Command> = {
};
