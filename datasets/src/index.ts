export type { DumpPost, PythonBool } from './dump-format';
export { formatDumpLine } from './dump-format';
export type { GenerateOptions } from './generator/generate-posts';
export { MAX_POSTS, dumpStream, generatePosts, writeDump, writeDumpFile } from './generator/generate-posts';
export type { ImportOptions } from './importer/import-posts';
export { DEFAULT_DB, countPosts, importFile, importStream, seedDemoPosts } from './importer/import-posts';
export type { ImportSummary, LineReject } from './importer/post-importer';
