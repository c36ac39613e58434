import type { RunningDynamo } from '#infra-local/lite/stores.ts';

// Jest runs globalSetup and globalTeardown in the same process: the handle passes through globalThis.
const KEY = Symbol.for('pricing.test.sharedDynamo');
type Holder = { [KEY]?: RunningDynamo };

export const setSharedDynamo = (dynamo: RunningDynamo): void => {
  (globalThis as Holder)[KEY] = dynamo;
};

export const takeSharedDynamo = (): RunningDynamo | undefined => {
  const dynamo = (globalThis as Holder)[KEY];
  delete (globalThis as Holder)[KEY];
  return dynamo;
};
