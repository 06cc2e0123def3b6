/**
 * Runs every bench module (`npm run bench`). Each module exports `run()`, which prints its figures and a ratio
 * against a baseline measured in the same run. Register a module with one line in BENCHES.
 */
const BENCHES: Record<string, () => Promise<{ run(): Promise<void> }>> = {
  onnx: () => import('./onnx'),
  runs: () => import('./runs'),
  hipify: () => import('./hipify'),
  'hipify-perl': () => import('./hipify-perl'),
  scan: () => import('./scan'),
  fix: () => import('./fix'),
  hostile: () => import('./hostile'),
  deep: () => import('./deep'),
};

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  for (const [name, load] of Object.entries(BENCHES)) {
    if (only.length && !only.includes(name)) continue;
    console.log(`== ${name}`);
    await (await load()).run();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
