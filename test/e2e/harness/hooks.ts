// Mocha root hooks for the e2e tier (loaded by test/e2e/.mocharc.json).
import { existsSync } from 'node:fs';
import { screenshotDir } from './paths';

export const mochaHooks = {
  afterAll(): void {
    if (existsSync(screenshotDir)) console.log(`\n  screenshots: ${screenshotDir}`);
  },
};
