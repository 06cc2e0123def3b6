/**
 * Where each value of a JSON text sits (offsets into the text), so a rewrite can replace one value and leave every
 * other byte (indentation, escapes, number forms like `1.0`, key order) exactly as the file had it. Assumes text
 * that JSON.parse accepted.
 */
export interface JsonSpan {
  start: number;
  end: number;
  kind: 'object' | 'array' | 'string' | 'scalar';
  members?: Map<string, JsonSpan>;
  items?: JsonSpan[];
}

export function jsonSpans(text: string): JsonSpan {
  let at = 0;
  const skipSpace = (): void => {
    while (at < text.length && ' \t\r\n'.includes(text[at]!)) at++;
  };
  const expect = (char: string): void => {
    if (text[at] !== char) throw new Error(`unexpected character at offset ${at} (expected '${char}')`);
    at++;
  };
  const string = (): JsonSpan => {
    const start = at;
    expect('"');
    while (at < text.length && text[at] !== '"') at += text[at] === '\\' ? 2 : 1;
    expect('"');
    return { start, end: at, kind: 'string' };
  };
  const value = (): JsonSpan => {
    skipSpace();
    const start = at;
    const char = text[at];
    if (char === '"') return string();
    if (char === '{') {
      at++;
      const members = new Map<string, JsonSpan>();
      skipSpace();
      while (text[at] !== '}') {
        skipSpace();
        const key = string();
        skipSpace();
        expect(':');
        members.set(JSON.parse(text.slice(key.start, key.end)) as string, value());
        skipSpace();
        if (text[at] === ',') at++;
        else break;
      }
      skipSpace();
      expect('}');
      return { start, end: at, kind: 'object', members };
    }
    if (char === '[') {
      at++;
      const items: JsonSpan[] = [];
      skipSpace();
      while (text[at] !== ']') {
        items.push(value());
        skipSpace();
        if (text[at] === ',') at++;
        else break;
      }
      skipSpace();
      expect(']');
      return { start, end: at, kind: 'array', items };
    }
    while (at < text.length && !',]} \t\r\n'.includes(text[at]!)) at++;
    if (at === start) throw new Error(`unexpected character at offset ${at}`);
    return { start, end: at, kind: 'scalar' };
  };
  return value();
}
