import * as assert from 'node:assert/strict';
import { analyzer } from './helpers';

/** Shell launchers as real repositories write them (llm.c, DeepSpeedExamples in ../shared/corpus). */
describe('shell launchers', () => {
  it('a script whose last line ends in a `\\` continuation parses (bash runs it), with its findings', async () => {
    const text = 'export CUDA_VISIBLE_DEVICES=0,1\nmpirun -np 2 ./train \\\n    -b 64 \\\n    -pi "mpi" \\\n';
    for (const variant of [text, text.slice(0, -1), `${text}\n\n`, text.replace(/\n/g, '\r\n')]) {
      const result = (await analyzer()).analyze('run.sh', variant);
      assert.deepEqual(result.notes, [], JSON.stringify(variant));
      assert.deepEqual(result.findings.map((f) => `${f.range.start.line} ${f.rule}`), ['1 ENV-001']);
    }
  });

  it('the note on a script that does not parse points at the error, not at the whole file', async () => {
    const text = 'export CUDA_VISIBLE_DEVICES=0\necho ok\nfoo )\necho done\n';
    const result = (await analyzer()).analyze('broken.sh', text);
    assert.equal(result.notes.length, 1);
    assert.equal(result.notes[0]!.kind, 'syntax-error');
    assert.equal(result.notes[0]!.range!.start.line, 3);
  });

  it('build switches given to make or cmake as arguments (llm.c: make train_gpt2cu USE_CUDNN=1); switched off they are portable', async () => {
    const text = 'make train_gpt2cu USE_CUDNN=1\ncmake -DWITH_CUDA=ON ..\nmake train_gpt2cu USE_CUDNN=0\ncmake -DWITH_CUDA=OFF ..\nmake CC=gcc\nexport MV2_USE_CUDA=1\n';
    const result = (await analyzer()).analyze('build.sh', text);
    assert.deepEqual(result.findings.map((f) => `${f.range.start.line}:${f.range.start.column} ${f.rule}`), ['1:19 ENV-008', '2:7 ENV-008', '6:8 ENV-008']);
    const alone = (await analyzer()).analyze('run.sh', '# GPT-2 repro\nmake train_gpt2cu USE_CUDNN=1\n');
    assert.deepEqual(alone.findings.map((f) => `${f.range.start.line} ${f.rule}`), ['2 ENV-008'], 'a script that names only cuDNN passes the byte prefilter');
  });
});
