/** Deployment stages. `local` is the only stage where the embedded SQL engine may be used. */
export const STAGES = ['local', 'dev', 'qa', 'uat', 'prod', 'dr'] as const;
export type Stage = (typeof STAGES)[number];
