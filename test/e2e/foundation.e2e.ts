// The packaged VSIX, installed into code-server, activates on a Python file opened from the explorer.
import * as assert from 'node:assert/strict';
import { activeEditor, openFile, paletteEntries, runCommand, screenshot, startWorkbench, waitForLanguage, waitForOutputChannel, type Workbench } from './harness';

describe('foundation e2e: packaged extension in the workbench', () => {
  let wb: Workbench;
  before(async () => (wb = await startWorkbench()));
  after(async () => wb?.close());

  it('opens a Python file from the explorer', async () => {
    await openFile(wb.page, 'train.py');
    await activeEditor(wb.page).getByText('torch.cuda.amp.GradScaler').first().waitFor({ timeout: 30_000 });
    await waitForLanguage(wb.page, 'Python');
    console.log(`    ${await screenshot(wb.page, 'foundation-01-python-file')}`);
  });

  it('activates: the palette offers "Porta: Show Logs" and it opens the Porta output', async () => {
    const entries = await paletteEntries(wb.page, 'Porta: Show Logs');
    assert.ok(entries.some((e) => e.includes('Porta: Show Logs')), `palette entries: ${entries.join(' | ')}`);
    await runCommand(wb.page, 'Porta: Show Logs');
    await waitForOutputChannel(wb.page, 'Porta');
    console.log(`    ${await screenshot(wb.page, 'foundation-02-porta-logs')}`);
  });
});
