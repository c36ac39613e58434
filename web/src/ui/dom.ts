/** The element with this id; the page's structure is fixed in index.html, so a missing one is a bug. */
export const byId = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing from index.html`);
  return element as T;
};

export const show = (element: HTMLElement, visible = true): void => {
  element.hidden = !visible;
};

/** A new element with text content (never HTML: values from the API are shown as text). */
export const el = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string,
  attributes: Record<string, string> = {},
): HTMLElementTagNameMap[K] => {
  const element = document.createElement(tag);
  if (text !== undefined) element.textContent = text;
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  return element;
};
