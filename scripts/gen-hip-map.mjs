#!/usr/bin/env node
/**
 * Generates src/core/cuda/map/tables/*.json from hipify's published API tables (docs/tables/*.md, MIT), read from a
 * local copy: by default ../shared/reference/hipify/docs/tables, or the directory given as the first argument.
 *
 * Each output row is [cuda, hip, second, section, cudaVersions, hipVersions, secondVersions], trailing empties
 * dropped: `hip` is the HIP name ("" when hipify knows none: unsupported), `second` the rocBLAS/MIOpen name of tables
 * that have that column, `section` an index into `sections`, and each *Versions field "added|deprecated|changed|
 * removed" (HIP and the second add "|experimental") with trailing empties trimmed.
 *
 * It also writes packed.json, the same rows in the form Porta loads: per table, the names one a line and the other
 * columns of each row tab-separated, one row a line. Parsing that makes a few strings instead of ~60,000 (one per cell)
 * that every `porta fix --target hip` process would allocate and then carry through its garbage collections.
 *
 *   node scripts/gen-hip-map.mjs [tables-dir] [out-dir]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const source = path.resolve(process.argv[2] ?? path.join(repo, '..', 'shared', 'reference', 'hipify', 'docs', 'tables'));
const outDir = path.resolve(process.argv[3] ?? path.join(repo, 'src', 'core', 'cuda', 'map', 'tables'));

/** family → [table file, CUDA library, HIP library, second library (roc*, MIOpen) or null] */
const FAMILIES = {
  runtime: ['CUDA_Runtime_API_functions_supported_by_HIP.md', 'CUDA Runtime API', 'HIP', null],
  driver: ['CUDA_Driver_API_functions_supported_by_HIP.md', 'CUDA Driver API', 'HIP', null],
  device: ['CUDA_Device_API_supported_by_HIP.md', 'CUDA Device API', 'HIP', null],
  rtc: ['CUDA_RTC_API_supported_by_HIP.md', 'NVRTC', 'hipRTC', null],
  cublas: ['CUBLAS_API_supported_by_HIP_and_ROC.md', 'cuBLAS', 'hipBLAS', 'rocBLAS'],
  curand: ['CURAND_API_supported_by_HIP_and_ROC.md', 'cuRAND', 'hipRAND', 'rocRAND'],
  cusparse: ['CUSPARSE_API_supported_by_HIP_and_ROC.md', 'cuSPARSE', 'hipSPARSE', 'rocSPARSE'],
  cusolver: ['CUSOLVER_API_supported_by_HIP_and_ROC.md', 'cuSOLVER', 'hipSOLVER', 'rocSOLVER'],
  cufft: ['CUFFT_API_supported_by_HIP.md', 'cuFFT', 'hipFFT', null],
  cudnn: ['CUDNN_API_supported_by_HIP_and_MIOPEN.md', 'cuDNN', 'hipDNN', 'MIOpen'],
  cub: ['CUB_API_supported_by_HIP.md', 'CUB', 'hipCUB', null],
  cucomplex: ['cuComplex_API_supported_by_HIP.md', 'cuComplex', 'HIP', null],
};

const cell = (text) => text.trim().replace(/^`(.*)`$/, '$1').replace(/\\_/g, '_').trim();
const versions = (cells) => cells.map(cell).join('|').replace(/\|+$/, '');

function parseTable(file) {
  const sections = [];
  const entries = [];
  const seen = new Set();
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const heading = /^## \*\*\d+\. (.*?)\*\*/.exec(line);
    if (heading) {
      sections.push(heading[1]);
      continue;
    }
    if (!line.startsWith('|`')) continue;
    const cells = line.split('|').slice(1, -1);
    const cuda = cell(cells[0]);
    if (seen.has(cuda)) continue; // the first section that lists a name wins
    seen.add(cuda);
    const row = [cuda, cell(cells[5]), cells.length > 11 ? cell(cells[11]) : '', String(sections.length - 1), versions(cells.slice(1, 5)), versions(cells.slice(6, 11)), cells.length > 11 ? versions(cells.slice(12, 17)) : ''];
    while (row.length > 4 && row[row.length - 1] === '') row.pop();
    entries.push(row);
  }
  return { sections, entries };
}

fs.mkdirSync(outDir, { recursive: true });
let total = 0;
const packed = [];
for (const [family, [table, library, hipLibrary, secondLibrary]] of Object.entries(FAMILIES)) {
  const { sections, entries } = parseTable(path.join(source, table));
  total += entries.length;
  const out = { generatedFrom: `hipify docs/tables/${table} (MIT) by scripts/gen-hip-map.mjs`, library, hipLibrary, secondLibrary, sections, entries };
  // One row a line: reviewable diffs, still compact.
  const body = entries.map((row) => `    ${JSON.stringify(row)}`).join(',\n');
  const head = JSON.stringify({ ...out, entries: [] }, null, 2).replace(/,\n {2}"entries": \[\]\n\}$/, '');
  fs.writeFileSync(path.join(outDir, `${family}.json`), `${head},\n  "entries": [\n${body}\n  ]\n}\n`);
  console.log(`${family}: ${entries.length} names from ${table}`);
  for (const row of entries) if (row.some((field) => /[\t\n]/.test(field))) throw new Error(`${table}: a tab or newline in ${JSON.stringify(row)}`);
  const names = entries.map((row) => row[0]).join('\n');
  const rows = entries.map((row) => row.slice(1).join('\t')).join('\n');
  packed.push({ family, library, hipLibrary, secondLibrary, sections, names, rows });
}
const packedNote = 'the other *.json tables in this folder, packed for loading by scripts/gen-hip-map.mjs';
fs.writeFileSync(path.join(outDir, 'packed.json'), `${JSON.stringify({ generatedFrom: packedNote, tables: packed, index: prebuiltIndex(packed) })}\n`);

/**
 * The name index src/core/cuda/tableIndex.ts would build at start-up, built here once: FNV-1a hashes of the names,
 * open addressing at load ≤ 1/3, the first table listing a name winning. Arrays as base64 of little-endian int32s.
 * test/unit/cuda/tableIndex.test.ts checks that it equals the index the code builds itself.
 */
function prebuiltIndex(tables) {
  const names = [];
  for (const [t, table] of tables.entries()) {
    let offset = 0;
    for (const [row, name] of table.names.split('\n').entries()) {
      names.push({ t, row, offset, name });
      offset += name.length + 1;
    }
  }
  let size = 1;
  while (size < names.length * 3) size <<= 1;
  const slots = new Int32Array(size);
  const kept = [];
  const seen = new Set();
  for (const entry of names) {
    if (seen.has(entry.name)) continue;
    seen.add(entry.name);
    let hash = 0x811c9dc5;
    for (let i = 0; i < entry.name.length; i++) hash = Math.imul(hash ^ entry.name.charCodeAt(i), 0x01000193);
    kept.push({ ...entry, hash });
    let slot = hash & (size - 1);
    while (slots[slot] !== 0) slot = (slot + 1) & (size - 1);
    slots[slot] = kept.length;
  }
  const int32s = (values) => {
    const view = new DataView(new ArrayBuffer(values.length * 4));
    values.forEach((value, i) => view.setInt32(i * 4, value, true));
    return Buffer.from(view.buffer).toString('base64');
  };
  return {
    count: kept.length,
    tableOf: int32s(kept.map((k) => k.t)),
    rowOf: int32s(kept.map((k) => k.row)),
    offsetOf: int32s(kept.map((k) => k.offset)),
    lengthOf: int32s(kept.map((k) => k.name.length)),
    hashOf: int32s(kept.map((k) => k.hash)),
    slots: int32s([...slots]),
  };
}
console.log(`${total} names in ${path.relative(process.cwd(), outDir)}`);
