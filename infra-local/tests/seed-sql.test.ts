import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFunction } from '../lite/lite-env.ts';
import { seedSqlPath, seedSqlite } from '../seed/seed-sqlite.ts';
import { composeFile, mountsOf, oracleInitDir, root } from '#testing/docker-files.ts';

const INIT_DIR = '/container-entrypoint-initdb.d';
const oracleMounts = mountsOf(composeFile().services.oracle!);
const initScripts = readdirSync(oracleInitDir)
  .filter((file) => file.endsWith('.sql'))
  .map((file) => ({ file, text: readFileSync(join(oracleInitDir, file), 'utf8') }));

/** The statements of a SQL file, comments removed. */
const statements = (sql: string): string[] =>
  sql
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/--.*$/gm, '')
    .split(';')
    .map((statement) => statement.trim())
    .filter(Boolean);

describe('the seed SQL shared by Oracle XE (docker mode) and node:sqlite (lite mode)', () => {
  it('mounts the Oracle-only scripts as the init folder, and the portable file outside it', () => {
    const init = oracleMounts.find((mount) => mount.target === INIT_DIR);
    const portable = oracleMounts.filter((mount) => mount.source === seedSqlPath(root));

    expect(init?.source).toBe(oracleInitDir);
    expect(portable).toHaveLength(1);
    // Inside the init folder the image would run it as SYSDBA in the root container, not in the schema.
    expect(portable[0]!.target.startsWith(`${INIT_DIR}/`)).toBe(false);
  });

  it('runs, from the Oracle init script, exactly the file the embedded engine loads', () => {
    const included = initScripts.flatMap(({ text }) =>
      [...text.matchAll(/^@{1,2}(\S+)\s*$/gm)].map((match) => match[1]!),
    );
    const sources = included.map((target) => oracleMounts.find((mount) => mount.target === target)?.source);

    expect(included).toHaveLength(1);
    expect(sources).toEqual([seedSqlPath(root)]);
  });

  it('switches the Oracle session to the database and schema the template connects to, and stops on error', () => {
    const env = findFunction(root, 'price-fetcher').environment;
    const service = env.ORACLE_CONNECT_STRING!.split('/').pop()!;
    const [script] = initScripts;

    expect(initScripts).toHaveLength(1);
    expect(script!.text).toMatch(/^WHENEVER SQLERROR EXIT SQL\.SQLCODE$/m);
    expect(script!.text).toMatch(new RegExp(`^ALTER SESSION SET CONTAINER = ${service};$`, 'mi'));
    expect(script!.text).toMatch(
      new RegExp(`^ALTER SESSION SET CURRENT_SCHEMA = ${env.ORACLE_USER};$`, 'mi'),
    );
  });

  it('loads completely into node:sqlite: every INSERT of the file becomes a row', () => {
    const dir = mkdtempSync(join(tmpdir(), 'seed-sql-'));
    try {
      const inserts = statements(readFileSync(seedSqlPath(root), 'utf8')).filter((s) => /^INSERT\b/i.test(s));
      const { products } = seedSqlite(root, join(dir, 'price.db'));
      expect(products).toBe(inserts.length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('holds only portable SQL: table DDL and single-row INSERTs, no engine-specific syntax', () => {
    const sql = readFileSync(seedSqlPath(root), 'utf8');
    const all = statements(sql);
    // Each pattern is valid in one engine only (or is a SQL*Plus command, which node:sqlite cannot run).
    const engineSpecific: [string, RegExp][] = [
      ['SQLite AUTOINCREMENT', /\bAUTOINCREMENT\b/i],
      ['SQLite INSERT OR ...', /\bINSERT\s+OR\b/i],
      ['SQLite/Oracle 23 IF [NOT] EXISTS', /\bIF\s+(NOT\s+)?EXISTS\b/i],
      ['SQLite PRAGMA/ATTACH', /\b(PRAGMA|ATTACH)\b/i],
      ['SQLite WITHOUT ROWID/STRICT tables', /\b(WITHOUT\s+ROWID|STRICT)\b/i],
      ['double-quoted text (a string in SQLite, an identifier in Oracle)', /"[^"]*"/],
      [
        'Oracle session/user set-up (belongs in seed/oracle/)',
        /\b(ALTER\s+SESSION|CREATE\s+USER|GRANT|CONNECT)\b/i,
      ],
      ['Oracle PL/SQL block', /\b(BEGIN|DECLARE|EXECUTE|EXEC)\b/i],
      ['Oracle-only functions and tables', /\b(SYSDATE|SYSTIMESTAMP|NVL|DUAL|ROWNUM|TO_DATE|TO_NUMBER)\b/i],
      ['Oracle sequences, MERGE, INSERT ALL', /\b(SEQUENCE|MERGE|INSERT\s+ALL|GENERATED)\b/i],
      ['Oracle storage clauses', /\b(TABLESPACE|STORAGE|PCTFREE|LOGGING|NOLOGGING)\b/i],
      ['SQL*Plus command', /^\s*(@|\/\s*$|SET\s|PROMPT\b|SPOOL\b|WHENEVER\b|COMMIT\b)/im],
    ];

    expect(all.length).toBeGreaterThan(1);
    for (const statement of all) expect(statement).toMatch(/^(CREATE TABLE|INSERT INTO)\s/i);
    for (const insert of all.filter((statement) => /^INSERT\b/i.test(statement))) {
      // Oracle (before 23ai) takes one row per VALUES.
      expect(insert.match(/\bVALUES\s*\(/gi)).toHaveLength(1);
      expect(insert).not.toMatch(/\)\s*,\s*\(/);
    }
    const found = engineSpecific.filter(([, pattern]) => all.some((statement) => pattern.test(statement)));
    expect(found.map(([name]) => name)).toEqual([]);
  });
});
