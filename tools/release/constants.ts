/**
 * Release pipeline constants shared by the scripts, the tests and (by value) the workflows.
 * The environment order is the promotion order: an artifact only moves forward through it.
 */
export const ENVIRONMENTS = ['dev', 'qa', 'uat', 'prod', 'dr'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** Targets a human can promote to with the "promote buttons"; DEV is automatic and DR follows PROD. */
export const PROMOTION_TARGETS = ['qa', 'uat', 'prod'] as const;
export type PromotionTarget = (typeof PROMOTION_TARGETS)[number];

/** Pre-release tag suffix per stage; PROD gets the clean `vX.Y.Z`. */
export const STAGE_TAG_SUFFIX = { qa: 'qa', uat: 'rc' } as const satisfies Partial<
  Record<PromotionTarget, string>
>;

/** The stage whose tag proves a pass, required before promoting to the key. */
export const REQUIRED_PREVIOUS_STAGE = { qa: null, uat: 'qa', prod: 'uat' } as const satisfies Record<
  PromotionTarget,
  PromotionTarget | null
>;

/**
 * The environment whose smoke-passed record (in the vault) a deployment requires, for every function it
 * deploys: the same stage order the tags enforce, checked again at deploy time so a manual `npm run deploy`
 * cannot skip a stage either. QA needs DEV, which deploys every function, so nothing reaches QA untested.
 */
export const DEPLOY_PREREQUISITE = {
  dev: null,
  qa: 'dev',
  uat: 'qa',
  prod: 'uat',
  dr: 'prod',
} as const satisfies Record<Environment, Environment | null>;

export const PRIMARY_REGION = 'us-east-1';
/** DR lives in another region so a regional outage cannot take both down. */
export const DR_REGION = 'us-west-2';

/** Region that hosts an environment's functions. */
export function regionFor(env: Environment): string {
  return env === 'dr' ? DR_REGION : PRIMARY_REGION;
}

/** The alias every caller invokes; deployments move it, rollbacks move it back. */
export const LIVE_ALIAS = 'live';

/** Under the version prefix of the vault. */
export const MANIFEST_FILE = 'manifest.json';
/**
 * Written once, right after the manifest, by the first upload: every zip's SHA-256. Deploy compares the
 * manifest with it, so a manifest replaced afterwards is refused. Outside `promotions/`, so no deploy role
 * can write it.
 */
export const PINNED_CHECKSUMS_FILE = 'checksums.json';
export const PROMOTIONS_PREFIX = 'promotions/';

/**
 * Environments whose `live` alias moves gradually through AWS CodeDeploy: 10% of the traffic for 5 minutes,
 * then 100%, rolled back by CodeDeploy when one of the deployment group's alarms fires.
 */
export const GRADUAL_ENVIRONMENTS: readonly Environment[] = ['prod'];

/** CodeDeploy names the infra/ stack creates: one application per stage, one deployment group per function. */
export const codeDeployApplication = (env: Environment): string => `pricing-${env}`;
export const codeDeployGroup = (baseName: string, env: Environment): string => `${baseName}-${env}`;

/** What the local target and the docs call the canary that CodeDeploy's Canary10Percent5Minutes runs. */
export const CANARY = { percent: 10, minutes: 5 } as const;

/** The payload every function answers without touching its business logic. */
export const HEALTH_CHECK_EVENT = { health_check: true } as const;

/** Results a promotion record can carry, in the order they usually happen. */
export const PROMOTION_RESULTS = [
  'approved',
  'deployed',
  'deploy-failed',
  'smoke-passed',
  'smoke-failed',
  'abandoned',
] as const;
export type PromotionResult = (typeof PROMOTION_RESULTS)[number];
