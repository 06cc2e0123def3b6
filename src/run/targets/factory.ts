import type { TargetAdapter } from './adapter';
import type { TargetConfig } from './config';
import { LocalAdapter } from './local';
import { SlurmAdapter } from './slurm';
import { SshAdapter } from './ssh';

/** The adapter for a target's kind. A new kind (kubectl, SkyPilot) adds a case here and one adapter file. */
export function adapterFor(target: TargetConfig, workspaceRoot: string): TargetAdapter {
  switch (target.kind) {
    case 'local': return new LocalAdapter(target, workspaceRoot);
    case 'ssh': return new SshAdapter(target, workspaceRoot);
    case 'slurm': return new SlurmAdapter(target, workspaceRoot);
  }
}
