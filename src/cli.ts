import { main } from './cli/main';

main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`porta: internal error: ${String(error)}\n`);
    process.exitCode = 2;
  },
);
