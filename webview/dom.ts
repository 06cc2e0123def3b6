/** A tiny element builder: enough to keep the pages readable without a framework. */

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

function apply(el: Element, attrs: Attrs | undefined, children: Child[]): void {
  if (attrs) {
    for (const [key, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === false) continue;
      if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2).toLowerCase(), value);
      else el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === 'object' ? child : String(child));
  }
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs, ...children: Child[]): HTMLElementTagNameMap[K];
export function h(tag: string, attrs?: Attrs, ...children: Child[]): HTMLElement;
export function h(tag: string, attrs?: Attrs, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  apply(el, attrs, children);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function s(tag: string, attrs?: Attrs, ...children: Child[]): SVGElement {
  const el = document.createElementNS(SVG_NS, tag) as SVGElement;
  apply(el, attrs, children);
  return el;
}

export function clear(el: Element): void {
  el.replaceChildren();
}

/** Toolkit elements expose `value`/`checked` as properties; these narrow them without `any`. */
export type ValueElement = HTMLElement & { value: string };
export type CheckElement = HTMLElement & { checked: boolean };

/**
 * Sets a toolkit dropdown's value once it has picked up its options: a freshly built <vscode-dropdown> ignores the
 * `selected` attribute of options added before it connected, and would show the first option instead.
 */
export function settleDropdown(el: ValueElement, value: string): void {
  requestAnimationFrame(() => {
    if (el.value !== value) el.value = value;
  });
}
