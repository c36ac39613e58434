import type { StoredAuditItem } from './query.ts';

export const OUTPUT_FORMATS = ['table', 'json', 'csv'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Writes items as they arrive: nothing is held in memory but the current page. */
export interface AuditWriter {
  write(items: StoredAuditItem[]): void;
  end(): void;
}

type Sink = (text: string) => void;

/** Columns of the CSV export, in order: every attribute of the audit item contract but the raw keys. */
export const CSV_COLUMNS = [
  'timestamp',
  'userId',
  'action',
  'status',
  'httpStatus',
  'productId',
  'configKey',
  'resource',
  'errorCode',
  'rejectedFields',
  'requestId',
  'correlationId',
  'service',
  'stage',
  'expiresAt',
  'pk',
  'sk',
] as const;

const text = (value: unknown): string => {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(text).join(';');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
};

/**
 * One RFC 4180 cell. Cells that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR) are
 * prefixed with `'`: an export opened in Excel must not execute anything (OWASP CSV injection).
 */
export const csvCell = (value: unknown): string => {
  let cell = text(value);
  if (/^[=+\-@\t\r]/.test(cell)) cell = `'${cell}`;
  return /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
};

const csvWriter = (sink: Sink): AuditWriter => {
  sink(`${CSV_COLUMNS.join(',')}\r\n`);
  return {
    write: (items) => {
      for (const item of items) sink(`${CSV_COLUMNS.map((column) => csvCell(item[column])).join(',')}\r\n`);
    },
    end: () => undefined,
  };
};

/** A JSON array of the items exactly as stored, streamed one element at a time. */
const jsonWriter = (sink: Sink): AuditWriter => {
  let count = 0;
  sink('[');
  return {
    write: (items) => {
      for (const item of items) {
        sink(`${count === 0 ? '\n' : ',\n'}  ${JSON.stringify(item)}`);
        count += 1;
      }
    },
    end: () => sink(count === 0 ? ']\n' : '\n]\n'),
  };
};

/**
 * Fixed-width columns sized for the values the contract allows (ISO time, UUID, status), so rows can be
 * printed as pages arrive. A longer value (a 64-character product id) widens its own row only.
 */
const TABLE_COLUMNS: { title: string; width: number; value: (item: StoredAuditItem) => unknown }[] = [
  { title: 'TIME (UTC)', width: 24, value: (item) => item.timestamp },
  { title: 'USER', width: 36, value: (item) => item.userId ?? '(unidentified)' },
  { title: 'RESOURCE', width: 20, value: (item) => item.productId ?? item.configKey ?? '' },
  { title: 'ACTION', width: 13, value: (item) => item.action },
  { title: 'STATUS', width: 9, value: (item) => item.status },
  { title: 'HTTP', width: 4, value: (item) => item.httpStatus },
  { title: 'ERROR', width: 18, value: (item) => item.errorCode ?? '' },
  { title: 'REQUEST ID', width: 0, value: (item) => item.requestId },
];

const tableRow = (cells: string[]): string =>
  `${cells
    .map((cell, index) => cell.padEnd(TABLE_COLUMNS[index]!.width))
    .join('  ')
    .trimEnd()}\n`;

/** Control characters never reach a terminal, even from a tampered item. */
const printable = (value: unknown): string => text(value).replace(/\p{Cc}/gu, '?');

const tableWriter = (sink: Sink): AuditWriter => {
  let count = 0;
  sink(tableRow(TABLE_COLUMNS.map((column) => column.title)));
  sink(tableRow(TABLE_COLUMNS.map((column) => '-'.repeat(Math.max(column.width, column.title.length)))));
  return {
    write: (items) => {
      for (const item of items) sink(tableRow(TABLE_COLUMNS.map((column) => printable(column.value(item)))));
      count += items.length;
    },
    end: () => sink(`(${count} ${count === 1 ? 'lookup' : 'lookups'})\n`),
  };
};

export const createAuditWriter = (format: OutputFormat, sink: Sink): AuditWriter => {
  if (format === 'csv') return csvWriter(sink);
  if (format === 'json') return jsonWriter(sink);
  return tableWriter(sink);
};
