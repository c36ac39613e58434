import * as prettier from 'prettier';

/**
 * Formats text the way `prettier --check` (part of `npm run lint`) expects for `file`, so files the dev tools
 * write (events, scaffolded functions) pass the lint with no manual step.
 */
export const formatForRepo = async (file: string, text: string): Promise<string> => {
  const options = (await prettier.resolveConfig(file)) ?? {};
  return prettier.format(text, { ...options, filepath: file });
};
