/**
 * Everything a Lambda bundles validates with `zod/mini`, not classic `zod`: classic attaches some sixty
 * methods to every schema as it is built, which made Zod the largest cost of our own code in a cold start
 * (`npm run bench:profile`); mini builds the same core schemas with plain functions and is a fraction of
 * the size. Mini ships no messages, so this module installs Zod's English ones: every module that builds
 * schemas imports it. Scripts that never run in Lambda (release, audit queries) keep classic Zod.
 */
import { en } from 'zod/locales';
import { config } from 'zod/mini';

config(en());
