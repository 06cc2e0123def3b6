/**
 * Delta debugging (ddmin): removes chunks of lines, then of characters, while the input still fails the same way,
 * so a failure is reported with a small input. Bounded by a deadline: past it, the smallest input so far is kept.
 */
export async function minimize(text: string, stillFails: (candidate: string) => Promise<boolean>, deadline: number): Promise<string> {
  const lines = await reduce(text.split(/(?<=\n)/), stillFails, deadline);
  // Then characters (ddmin starts with halves, so a long line shrinks in big pieces first).
  return (await reduce(Array.from(lines.join('')), stillFails, deadline)).join('');
}

async function reduce(units: string[], stillFails: (candidate: string) => Promise<boolean>, deadline: number): Promise<string[]> {
  let current = units;
  let parts = 2;
  while (current.length >= 2 && Date.now() < deadline) {
    const size = Math.ceil(current.length / parts);
    let reduced = false;
    for (let start = 0; start < current.length && Date.now() < deadline; start += size) {
      const candidate = [...current.slice(0, start), ...current.slice(start + size)];
      if (await stillFails(candidate.join(''))) {
        current = candidate;
        parts = Math.max(parts - 1, 2);
        reduced = true;
        break;
      }
    }
    if (!reduced) {
      if (parts >= current.length) break;
      parts = Math.min(current.length, parts * 2);
    }
  }
  return current;
}
