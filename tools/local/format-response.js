// Pretty-prints a Lambda result for reading in a terminal: the status line, the headers, and the body with
// JSON decoded and indented (base64 bodies decoded first). Lambda errors ({errorType, errorMessage}) are
// shown as errors. Plain JavaScript, so it runs anywhere Node does:
//   node tools/local/format-response.js < result.json
//   npm run invoke:price | node tools/local/format-response.js
// `npm run invoke:* -- --pretty` formats through the same function.
import { STATUS_CODES } from 'node:http';
import { pathToFileURL } from 'node:url';
import { styleText } from 'node:util';

/**
 * @param {string} body
 * @param {boolean} base64
 * @returns {string}
 */
const decodeBody = (body, base64) => {
  const bytes = Buffer.from(body, base64 ? 'base64' : 'utf8');
  const text = bytes.toString('utf8');
  if (base64 && !Buffer.from(text, 'utf8').equals(bytes)) return `<${bytes.length} bytes of binary data>`;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
};

/** @param {unknown} value @returns {value is Record<string, unknown>} */
const isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Formats a Lambda result (an API Gateway proxy result, a Lambda error, or any other JSON value).
 * @param {unknown} result
 * @param {{ color?: boolean }} [options]
 * @returns {string}
 */
export const formatResponse = (result, options = {}) => {
  const paint = (/** @type {Parameters<typeof styleText>[0]} */ style, /** @type {string} */ text) =>
    options.color ? styleText(style, text, { validateStream: false }) : text;

  if (isObject(result) && typeof result.errorMessage === 'string') {
    const stack = Array.isArray(result.stackTrace) ? result.stackTrace.map((line) => `  ${line}`) : [];
    return [
      paint(['bold', 'red'], `Lambda error: ${String(result.errorType ?? 'Error')}`),
      String(result.errorMessage),
      ...stack,
    ].join('\n');
  }
  if (!isObject(result) || typeof result.statusCode !== 'number') {
    return JSON.stringify(result, null, 2);
  }
  const status = result.statusCode;
  const statusColor = status >= 500 ? 'red' : status >= 400 ? 'yellow' : 'green';
  const lines = [paint(['bold', statusColor], `HTTP ${status} ${STATUS_CODES[status] ?? ''}`.trimEnd())];
  const headers = isObject(result.headers) ? result.headers : {};
  const multi = isObject(result.multiValueHeaders) ? result.multiValueHeaders : {};
  for (const [name, values] of Object.entries(multi)) {
    for (const value of Array.isArray(values) ? values : [values])
      lines.push(`${paint('cyan', name)}: ${String(value)}`);
  }
  for (const [name, value] of Object.entries(headers)) lines.push(`${paint('cyan', name)}: ${String(value)}`);
  if (typeof result.body === 'string' && result.body.length > 0) {
    lines.push('', decodeBody(result.body, result.isBase64Encoded === true));
  }
  return lines.join('\n');
};

const readStdin = async () => {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
};

const NOT_JSON = Symbol('not JSON');

/**
 * The whole input as JSON, else its last line that is JSON: `npm run` prints its own banner lines first.
 * @param {string} input
 */
const parseResult = (input) => {
  for (const candidate of [input, ...input.split('\n').reverse()]) {
    if (!candidate.trim()) continue;
    try {
      return JSON.parse(candidate);
    } catch {
      // not this one
    }
  }
  return NOT_JSON;
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = parseResult(await readStdin());
  if (result === NOT_JSON) {
    process.stderr.write(
      'format-response: stdin holds no JSON result (pipe in a Lambda result, e.g. from npm run invoke:price)\n',
    );
    process.exit(2);
  }
  const color = process.stdout.isTTY === true && !process.env.NO_COLOR;
  process.stdout.write(`${formatResponse(result, { color })}\n`);
}
