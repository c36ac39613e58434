/**
 * What function tests use of the local simulation: running a built bundle in the lite Lambda runtime,
 * the template's view of a function, and the seed's fixed values. Function tests import these from here,
 * never from infra-local/ directly, so the lint boundary of functions/ stays one rule: #common, #testing,
 * #build and their own files.
 */
export { LocalLambda, invokeLocalLambda } from '#infra-local/lite/lambda-runtime.ts';
export { findFunction, liteEnvironment } from '#infra-local/lite/lite-env.ts';
export { SEED_REQUEST_ID, localDynamoClient } from '#infra-local/seed/seed-dynamodb.ts';
export { seedTemplateTables } from '#infra-local/seed/template-tables.ts';
