// The packaged VSIX, installed into code-server, activates on a Python file opened from the explorer.
import * as assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { activeEditor, openFile, outputChannels, paletteEntries, runCommand, screenshot, startWorkbench, waitForLanguage, waitForOutputChannel, type Workbench } from './harness';

describe('foundation e2e: packaged extension in the workbench', () => {
  let wb: Workbench;
  // Only train.py and README.md: nothing else (a .cu file, porta.toml) may activate the extension first.
  before(async () => (wb = await startWorkbench({ prepareWorkspace: (dir) => ['saxpy.cu', 'porta.toml'].forEach((f) => rmSync(path.join(dir, f))) })));
  after(async () => wb?.close());

  it('stays inactive until a Python file opens (lazy activation)', async () => {
    const channels = await outputChannels(wb.page);
    assert.ok(channels.length > 0, 'the Output view lists channels');
    assert.ok(!channels.includes('Porta'), `Porta is active too early: ${channels.join(' | ')}`);
  });

  it('opens a Python file from the explorer', async () => {
    await openFile(wb.page, 'train.py');
    await activeEditor(wb.page).getByText('torch.cuda.amp.GradScaler').first().waitFor({ timeout: 30_000 });
    await waitForLanguage(wb.page, 'Python');
    console.log(`    ${await screenshot(wb.page, 'foundation-01-python-file')}`);
  });

  it('activates on the Python file: its output channel appears before any Porta command ran', async () => {
    // Running a contributed command would itself activate the extension, so look before running one.
    let channels: string[] = [];
    const deadline = Date.now() + 30_000;
    while (!channels.includes('Porta') && Date.now() < deadline) {
      await wb.page.waitForTimeout(500);
      channels = await outputChannels(wb.page);
    }
    assert.ok(channels.includes('Porta'), `output channels: ${channels.join(' | ')}`);
  });

  it('the palette offers "Porta: Show Logs" and it opens the Porta output', async () => {
    const entries = await paletteEntries(wb.page, 'Porta: Show Logs');
    assert.ok(entries.some((e) => e.includes('Porta: Show Logs')), `palette entries: ${entries.join(' | ')}`);
    await runCommand(wb.page, 'Porta: Show Logs');
    await waitForOutputChannel(wb.page, 'Porta');
    console.log(`    ${await screenshot(wb.page, 'foundation-02-porta-logs')}`);
  });
});
