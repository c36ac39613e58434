import { CfnResource, Validations, type App } from 'aws-cdk-lib';
import nag from 'cdk-nag';
import type { IConstruct } from 'constructs';

/**
 * Registers the AwsSolutions and NIST 800-53 rev 5 rule packs on the whole app. cdk-nag 3 is a CDK policy
 * validation plugin: any finding that is not acknowledged makes `app.synth()` throw ("Validation failed") and
 * is listed in cdk.out/validation-report.json. Acknowledged rules are also written into each resource's
 * CloudFormation Metadata (`cdk_nag.rules_to_suppress`), so an auditor reading a template sees every reason.
 */
export const addNagPacks = (app: App): void => {
  Validations.of(app).addPlugins(
    new nag.AwsSolutionsChecks(app, { verbose: true, writeSuppressionsToCloudFormation: true }),
    new nag.NIST80053R5Checks(app, { verbose: true, writeSuppressionsToCloudFormation: true }),
  );
};

/**
 * Acknowledges rule findings on one construct (and everything under it), each with its reason. Call it once
 * per construct, next to the construct, so the reason sits beside what it excuses.
 */
export const acknowledge = (construct: IConstruct, reasons: Record<string, string>): void => {
  for (const [id, reason] of Object.entries(reasons)) {
    if (reason.trim().length < 20) throw new Error(`acknowledgement ${id} needs a real reason`);
    Validations.of(construct).acknowledge({ id, reason });
  }
};

/**
 * Acknowledges the wildcard findings (AwsSolutions-IAM5) of one policy, with one reason, but only those that
 * match the patterns the reason is about: the finding ids come from running cdk-nag's own rule on the policy,
 * and a wildcard the reason does not cover stays a finding and fails synth.
 */
export const acknowledgeWildcards = (policy: IConstruct, expected: RegExp[], reason: string): void => {
  const resource = policy.node.defaultChild ?? policy;
  if (!CfnResource.isCfnResource(resource))
    throw new Error(`${policy.node.path} is not a CloudFormation resource`);
  const result: unknown = nag.rules.iam.IAMNoWildcardPermissions(resource);
  const findings = Array.isArray(result) ? (result as string[]) : [];
  const covered = findings.filter((finding) => expected.some((pattern) => pattern.test(finding)));
  if (covered.length === 0)
    throw new Error(`${policy.node.path}: no wildcard matched, drop the acknowledgement`);
  acknowledge(
    policy,
    Object.fromEntries(covered.map((finding) => [`AwsSolutions-IAM5[${finding}]`, reason])),
  );
};

/** An AWS managed policy on a service role, acknowledged by its exact ARN (AwsSolutions-IAM4 is per policy). */
export const acknowledgeManagedPolicy = (construct: IConstruct, policyName: string, reason: string): void => {
  acknowledge(construct, {
    [`AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${policyName}]`]: reason,
  });
};
