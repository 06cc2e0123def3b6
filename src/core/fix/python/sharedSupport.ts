import type { FixOptions } from '../types';
import { deviceExpression, HELPER_FUNCTIONS, SUPPORT_ORDER, supportText, usesAccelerator, type SupportId } from './support';

/**
 * In a package, support code lives once: one module (`<package>/_porta_device.py`) that the fixed modules import
 * from, instead of a device picker copied into every module. The device is chosen when first needed (the first call
 * of `porta_device()`, cached), not when the package is imported: importing a library must not probe accelerators.
 */
export const SHARED_MODULE = '_porta_device';
export const SHARED_DEVICE_FUNCTION = 'porta_device';
/** What generated code writes for the device in a module that imports the shared one. */
export const SHARED_DEVICE = `${SHARED_DEVICE_FUNCTION}()`;

/** What a module imports from the shared module: the device function and the helpers it calls. */
export const SHARED_EXPORTS: SupportId[] = SUPPORT_ORDER.filter((id) => id === 'device' || (id !== 'pick-device' && HELPER_FUNCTIONS[id] !== undefined));

export function sharedName(id: SupportId): string | undefined {
  if (id === 'device') return SHARED_DEVICE_FUNCTION;
  return id === 'pick-device' ? undefined : HELPER_FUNCTIONS[id];
}

export function sharedId(name: string): SupportId | undefined {
  return SHARED_EXPORTS.find((id) => sharedName(id) === name);
}

/** The file name of the shared module. */
export const SHARED_FILE = `${SHARED_MODULE}.py`;

/** `from ..<module> import a, b`: the import line a module of the package uses, names in canonical order. */
export function sharedImportLine(from: string, ids: Iterable<SupportId>): string {
  const wanted = new Set(ids);
  return `from ${from} import ${SHARED_EXPORTS.filter((id) => wanted.has(id)).map((id) => sharedName(id)!).join(', ')}`;
}

/**
 * `@_porta_amp_custom("custom_fwd", ...)`: torch.amp.custom_fwd / custom_bwd for the chosen device, read when the
 * decorated function is first called (decorators run at import), else torch.cuda.amp's (PyTorch < 2.4).
 */
const LAZY_AMP_CUSTOM = [
  `def ${HELPER_FUNCTIONS['amp-custom']}(name, function=None, **kwargs):`,
  '    """Porta: torch.amp.custom_fwd / custom_bwd for the chosen device (PyTorch 2.4+), else the torch.cuda.amp ones;',
  '    the device is read when the decorated function is first called, not when the module is imported."""',
  '    def decorate(function):',
  '        decorated = []',
  '',
  '        @functools.wraps(function)',
  '        def call(*args, **kw):',
  '            if not decorated:',
  '                if hasattr(torch.amp, name):',
  `                    decorated.append(getattr(torch.amp, name)(function, device_type=${SHARED_DEVICE}.type, **kwargs))`,
  '                else:',
  '                    decorated.append(getattr(torch.cuda.amp, name)(function, **kwargs))',
  '            return decorated[0](*args, **kw)',
  '        return call',
  '    return decorate(function) if function is not None else decorate',
].join('\n');

/** The whole shared module for the helpers `ids` its package's modules import (the device function always). */
export function sharedModuleText(options: FixOptions, ids: Iterable<SupportId>): string {
  const wanted = new Set(ids);
  const helpers = SHARED_EXPORTS.filter((id) => id !== 'device' && wanted.has(id));
  const lines = [
    '"""Porta: device support shared by this package\'s modules (written by `porta fix`, which regenerates it).',
    '',
    'The device is chosen the first time porta_device() is called, not when the package is imported."""',
    'import functools',
    '',
    'import torch',
  ];
  if (options.target === 'npu') lines.push(supportText('import-torch-npu', options, 'torch', SHARED_DEVICE));
  const blocks: string[] = [];
  if (options.target === 'auto' && !usesAccelerator(options)) blocks.push(supportText('pick-device', options, 'torch', SHARED_DEVICE));
  blocks.push([
    '@functools.lru_cache(maxsize=None)',
    `def ${SHARED_DEVICE_FUNCTION}():`,
    '    """Porta: the device this package runs on, chosen on first use (then the same every time)."""',
    `    return ${deviceExpression(options, 'torch')}`,
  ].join('\n'));
  for (const id of helpers) blocks.push(id === 'amp-custom' ? LAZY_AMP_CUSTOM : supportText(id, options, 'torch', SHARED_DEVICE));
  return `${lines.join('\n')}\n\n\n${blocks.join('\n\n\n')}\n`;
}

/** The shared module's names that generated code calls (`porta_device()`, `_porta_event(...)`). */
export function sharedNamesIn(code: string): SupportId[] {
  return SHARED_EXPORTS.filter((id) => new RegExp(`(?<![\\w.])${sharedName(id)}\\(`).test(code));
}
