import { join } from 'node:path';

/**
 * Git-ignored folder for lite-mode state: the DynamoDB data, pid files and logs. `LITE_STATE_DIR` moves it
 * (tests use a temp folder so they never touch a developer's running stores).
 */
export const stateDir = (root: string): string => process.env.LITE_STATE_DIR ?? join(root, '.local');
