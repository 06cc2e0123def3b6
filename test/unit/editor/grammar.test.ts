// The run-log grammar (syntaxes/porta-log.tmLanguage.json), tokenised by the same TextMate engine VS Code uses.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';

const root = path.join(__dirname, '..', '..', '..');

async function loadGrammar(): Promise<textmate.IGrammar> {
  const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({ createOnigScanner: (p) => new oniguruma.OnigScanner(p), createOnigString: (s) => new oniguruma.OnigString(s) }),
    loadGrammar: async (scope) =>
      scope === 'text.log.porta' ? textmate.parseRawGrammar(readFileSync(path.join(root, 'syntaxes/porta-log.tmLanguage.json'), 'utf8'), 'porta-log.tmLanguage.json') : null,
  });
  const grammar = await registry.loadGrammar('text.log.porta');
  assert.ok(grammar);
  return grammar;
}

/** Tokenises lines and returns [text, scopes] pairs, carrying state across lines like the editor. */
function tokenize(grammar: textmate.IGrammar, lines: string[]): { text: string; scopes: string[] }[][] {
  let state = textmate.INITIAL;
  return lines.map((line) => {
    const r = grammar.tokenizeLine(line, state);
    state = r.ruleStack;
    return r.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
  });
}

function scopesOf(tokens: { text: string; scopes: string[] }[], text: string): string[] {
  const token = tokens.find((t) => t.text === text);
  assert.ok(token, `a token "${text}" in ${JSON.stringify(tokens.map((t) => t.text))}`);
  return token.scopes;
}

describe('run-log grammar (porta-log)', () => {
  let grammar: textmate.IGrammar;
  before(async () => (grammar = await loadGrammar()));

  it('colours timestamps, levels, devices and measures', () => {
    const [line] = tokenize(grammar, ['2026-11-30T02:03:04.123Z [info] train.py on cuda:0 (NVIDIA A100-SXM4-40GB): loss=0.125 step=12.5 ms']);
    assert.ok(scopesOf(line, '2026-11-30T02:03:04.123Z').includes('constant.numeric.date.porta-log'));
    assert.ok(scopesOf(line, 'info').includes('token.info-token'));
    assert.ok(scopesOf(line, 'cuda:0').includes('entity.name.type.device.porta-log'));
    assert.ok(scopesOf(line, 'loss').includes('variable.other.metric.porta-log'));
    assert.ok(scopesOf(line, '0.125').includes('constant.numeric.porta-log'));
    assert.ok(scopesOf(line, ' ms').includes('keyword.other.unit.porta-log'));
  });

  it('colours warnings and errors, run states and ONNX Runtime providers', () => {
    const [a, b] = tokenize(grammar, ['12:00:01 WARNING falling back to CPUExecutionProvider', '12:00:02 ERROR run failed on rocm']);
    assert.ok(scopesOf(a, 'WARNING').includes('token.warn-token'));
    assert.ok(scopesOf(a, 'CPUExecutionProvider').includes('support.constant.provider.porta-log'));
    assert.ok(scopesOf(a, '12:00:01').includes('constant.numeric.time.porta-log'));
    assert.ok(scopesOf(b, 'ERROR').includes('token.error-token'));
    assert.ok(scopesOf(b, 'rocm').includes('entity.name.type.device.porta-log'));
  });

  it('colours PORTA_METRIC lines as JSON', () => {
    const [line] = tokenize(grammar, ['PORTA_METRIC {"name": "latency_p50", "value": 3.25, "unit": "ms"}']);
    assert.ok(scopesOf(line, 'PORTA_METRIC').includes('keyword.other.metric.porta-log'));
    assert.ok(scopesOf(line, '"name"').includes('support.type.property-name.json.porta-log'));
    assert.ok(scopesOf(line, '3.25').includes('constant.numeric.json.porta-log'));
  });

  it('marks Python tracebacks: file links, line numbers, the exception', () => {
    const lines = tokenize(grammar, [
      'Traceback (most recent call last):',
      '  File "/work/train.py", line 12, in train',
      '    model = model.cuda()',
      'RuntimeError: Found no NVIDIA driver on your system.',
      'after the traceback cuda:1',
    ]);
    assert.ok(scopesOf(lines[0], 'Traceback (most recent call last):').includes('token.error-token'));
    assert.ok(scopesOf(lines[1], '/work/train.py').includes('markup.underline.link.file.porta-log'));
    assert.ok(scopesOf(lines[1], '12').includes('constant.numeric.line.porta-log'));
    assert.ok(scopesOf(lines[1], 'train').includes('entity.name.function.porta-log'));
    assert.ok(scopesOf(lines[3], 'RuntimeError').includes('entity.name.type.exception.porta-log'));
    assert.ok(scopesOf(lines[4], 'cuda:1').includes('entity.name.type.device.porta-log'), 'the traceback block ends');
  });

  it('underlines path:line locations outside tracebacks', () => {
    const [line] = tokenize(grammar, ['warning at src/model.py:42:7 while tracing']);
    assert.ok(scopesOf(line, 'src/model.py:42:7').includes('markup.underline.link.file.porta-log'));
  });
});
