import type { TreeSitter } from '../parse/loader';
import type { Backend } from '../targets';
import type { Fix } from '../model';

/** Where the rewritten code should run. `auto` picks the available accelerator at run time, else CPU. */
export type FixTarget = 'auto' | Backend;

export interface FixOptions {
  target: FixTarget;
  /** Declared torch version (e.g. "2.4.1"); undefined means "write code that runs on 1.13 and current PyTorch". */
  torchVersion?: string;
  /** The match only runs where CUDA is present (guarded): only rewrites that stay right there are offered. */
  guarded?: boolean;
  /**
   * The file belongs to a package whose support code lives once, in a shared module (`<package>/_porta_device.py`,
   * see `sharedModuleText`): `from` is what the file imports it as (`.._porta_device`). Undefined: inline support code.
   */
  shared?: { from: string };
}

/** What the analyzer hands a fix provider for one rule match. */
export interface RuleMatch {
  ruleId: string;
  path: string;
  text: string;
  tree: TreeSitter.Tree;
  /** The node the finding's range covers (a call, an attribute, a string...). */
  node: TreeSitter.Node;
  /** Facts the matcher resolved, e.g. { qualifiedName: "torch.cuda.synchronize" } after alias resolution. */
  data?: Record<string, string>;
}

/** Computes the fix for one match, or undefined when no safe rewrite exists here. Pure: no I/O. */
export type FixProvider = (match: RuleMatch, options: FixOptions) => Fix | undefined;
