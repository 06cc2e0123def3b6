import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../../../src/core/rules';
import { renderRuleDoc, renderRulesIndex } from '../../../src/core/rules/docs';
import { CUDA_RULES } from '../../../src/core/cuda/rules';

const DOCS = path.join(__dirname, '..', '..', '..', 'docs', 'rules');
/** `PORTA_UPDATE_DOCS=1 npx mocha test/unit/analyzer/rule-docs.test.ts` rewrites the pages from the catalogue. */
const update = process.env.PORTA_UPDATE_DOCS === '1';

describe('rule catalogue and docs pages', () => {
  it('ids are unique, grouped by family, with a verdict for every backend', () => {
    const ids = RULES.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const rule of RULES) {
      assert.ok(rule.id.startsWith(`${rule.family}-`), rule.id);
      assert.equal(Object.keys(rule.targets).length, 6, rule.id);
      assert.equal(rule.targets.cuda, 'ok', `${rule.id}: everything here works on NVIDIA`);
      assert.ok(rule.rationale.length > 20 && rule.portable.length > 10, rule.id);
    }
  });

  it('every rule has an up-to-date page under docs/rules/, and the index lists them', () => {
    const pages: [string, string][] = RULES.map((r) => [`${r.id}.md`, renderRuleDoc(r)]);
    const index = path.join(DOCS, 'README.md');
    if (update) fs.writeFileSync(index, renderRulesIndex(RULES, CUDA_RULES));
    const listed = fs.readFileSync(index, 'utf8');
    // The index also lists the CUDA engineer's CU-* rules; it only has to link every rule, not match byte for byte.
    for (const rule of [...RULES, ...CUDA_RULES]) assert.ok(listed.includes(`[${rule.id}](${rule.id}.md)`), `docs/rules/README.md lacks ${rule.id}: run with PORTA_UPDATE_DOCS=1`);
    for (const [name, content] of pages) {
      const file = path.join(DOCS, name);
      if (update) fs.writeFileSync(file, content);
      assert.ok(fs.existsSync(file), `${name} is missing: run with PORTA_UPDATE_DOCS=1`);
      assert.equal(fs.readFileSync(file, 'utf8'), content, `${name} is stale: run with PORTA_UPDATE_DOCS=1`);
    }
  });
});
