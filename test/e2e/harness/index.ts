// Everything an e2e test needs, from one import: `import { startWorkbench, openFile, runCommand, screenshot } from './harness';`
export * from './browser';
export * from './paths';
export * from './server';
export * from './session';
export * from './workbench';
