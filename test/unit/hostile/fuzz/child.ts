/**
 * The fuzz test's checker process: runs one case per message and answers with its failures. It runs apart from
 * mocha so that a case that hangs or kills its process is killed and reported, never a stuck test run.
 */
import { createChecker } from './checks';
import type { FuzzCase } from './cases';

interface Request {
  id: number;
  fuzzCase: FuzzCase;
}

async function main(): Promise<void> {
  const checker = await createChecker();
  process.on('message', (request: Request) => {
    checker.run(request.fuzzCase).then(
      (failures) => process.send!({ id: request.id, failures }),
      (error: unknown) => process.send!({ id: request.id, failures: [{ check: 'crash', message: `checker failed: ${error instanceof Error ? error.stack : String(error)}` }] }),
    );
  });
  process.on('disconnect', () => {
    checker.close();
    process.exit(0);
  });
  process.send!({ ready: true });
}

void main();
