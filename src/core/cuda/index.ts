/** CUDA C++: analysis (LanguageAnalyzer), CUDA → HIP rewrite, conversion reports. See docs/dev/cuda.md. */
export { loadCudaAnalyzer, isCudaSource, analyzeCuda } from './analyzer';
export { hipify, hipifyAsync, hipifyWithoutParser, loadHipify, createHipifier, hipifyTree, applyEdits } from './hipify';
export type { HipifyOptions, HipifyResult, Hipifier, UnconvertedReference } from './hipify';
export { formatConversionReport, totalStats } from './report';
export type { ConversionTotals, ReportInput } from './report';
export type { ConversionStats, ApiCount } from './stats';
export { decodeSource, editBytes, encodeSource } from './source';
export type { SourceEncoding } from './source';
export { CUDA_RULES } from './rules';
export { cudaMap } from './map';
export type { MapEntry } from './map';
