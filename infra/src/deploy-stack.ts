import {
  type Change,
  type CloudFormationClient,
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DescribeChangeSetCommand,
  type DescribeChangeSetCommandOutput,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  type Output,
  waitUntilChangeSetCreateComplete,
  waitUntilStackCreateComplete,
  waitUntilStackUpdateComplete,
} from '@aws-sdk/client-cloudformation';

export interface DeployRequest {
  stackName: string;
  /** An S3 URL of the template (templates above CloudFormation's 51,200-byte body limit need one). */
  templateUrl?: string;
  templateBody?: string;
  /**
   * The role CloudFormation itself acts as (the CDK bootstrap's cfn-exec role): the caller needs only
   * iam:PassRole on it, not the permissions of every resource the stack manages.
   */
  executionRoleArn?: string;
  /** Seconds each waiter may wait. */
  maxWaitSeconds?: number;
  /** Set in tests so the waiters do not sleep their default 5–30 s between checks. */
  waiterDelaySeconds?: number;
  changeSetName?: string;
  log?: (line: string) => void;
}

export type DeployOutcome =
  | { result: 'no-changes'; stackName: string }
  | {
      result: 'deployed';
      stackName: string;
      type: 'CREATE' | 'UPDATE';
      changes: Change[];
      outputs: Output[];
    };

export class ChangeSetFailedError extends Error {
  readonly statusReason: string;
  constructor(stackName: string, statusReason: string) {
    super(`change set for ${stackName} failed: ${statusReason}`);
    this.name = 'ChangeSetFailedError';
    this.statusReason = statusReason;
  }
}

/** CloudFormation's ways of saying "the template changes nothing". */
const NO_CHANGES =
  /didn't contain changes|No updates are to be performed|submitted information didn't contain changes/i;

const stackExists = async (cfn: CloudFormationClient, stackName: string): Promise<boolean> => {
  try {
    const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: stackName }));
    const status = Stacks?.[0]?.StackStatus;
    // A stack that only ever held a rejected creation change set is not a stack to update.
    return status !== undefined && status !== 'REVIEW_IN_PROGRESS';
  } catch (error) {
    if (/does not exist/.test((error as Error).message)) return false;
    throw error;
  }
};

const describeAll = async (cfn: CloudFormationClient, stackName: string, changeSetName: string) => {
  const changes: Change[] = [];
  let last: DescribeChangeSetCommandOutput | undefined;
  let token: string | undefined;
  do {
    last = await cfn.send(
      new DescribeChangeSetCommand({ StackName: stackName, ChangeSetName: changeSetName, NextToken: token }),
    );
    changes.push(...(last.Changes ?? []));
    token = last.NextToken;
  } while (token);
  return { changes, last };
};

/** One line per resource change, as a reviewer reads them. */
export const formatChange = (change: Change): string => {
  const rc = change.ResourceChange ?? {};
  const replacement =
    rc.Replacement === 'True' ? ' (REPLACEMENT)' : rc.Replacement === 'Conditional' ? ' (may replace)' : '';
  return `${(rc.Action ?? '?').padEnd(7)} ${rc.LogicalResourceId ?? '?'} ${rc.ResourceType ?? ''}${replacement}`;
};

/**
 * Deploys a synthesized template through a change set: create it, wait for it with the SDK waiter, print what
 * it changes, execute it and wait for the stack with the SDK waiter, then report the outputs. An empty change
 * set is deleted and reported as "no changes"; a failed one is reported with CloudFormation's reason.
 */
export const deployStack = async (
  cfn: CloudFormationClient,
  request: DeployRequest,
): Promise<DeployOutcome> => {
  const log = request.log ?? ((line: string) => console.log(line));
  const { stackName } = request;
  if (!request.templateUrl && !request.templateBody)
    throw new Error('deployStack needs templateUrl or templateBody');
  const changeSetName =
    request.changeSetName ??
    `deploy-${new Date()
      .toISOString()
      .replace(/[^0-9]/g, '')
      .slice(0, 14)}`;
  const waiter = {
    client: cfn,
    maxWaitTime: request.maxWaitSeconds ?? 3600,
    ...(request.waiterDelaySeconds !== undefined
      ? { minDelay: request.waiterDelaySeconds, maxDelay: request.waiterDelaySeconds }
      : {}),
  };

  const type = (await stackExists(cfn, stackName)) ? 'UPDATE' : 'CREATE';
  log(`${stackName}: creating change set ${changeSetName} (${type})`);
  await cfn.send(
    new CreateChangeSetCommand({
      StackName: stackName,
      ChangeSetName: changeSetName,
      ChangeSetType: type,
      ...(request.templateUrl
        ? { TemplateURL: request.templateUrl }
        : { TemplateBody: request.templateBody }),
      Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'],
      ...(request.executionRoleArn ? { RoleARN: request.executionRoleArn } : {}),
      Description: 'npm run stack:deploy',
    }),
  );

  try {
    await waitUntilChangeSetCreateComplete(waiter, { StackName: stackName, ChangeSetName: changeSetName });
  } catch (error) {
    const { last } = await describeAll(cfn, stackName, changeSetName);
    const reason = last?.StatusReason ?? (error as Error).message;
    if (last?.Status === 'FAILED' && NO_CHANGES.test(reason)) {
      await cfn.send(new DeleteChangeSetCommand({ StackName: stackName, ChangeSetName: changeSetName }));
      log(`${stackName}: no changes`);
      return { result: 'no-changes', stackName };
    }
    throw new ChangeSetFailedError(stackName, reason);
  }

  const { changes } = await describeAll(cfn, stackName, changeSetName);
  log(`${stackName}: ${changes.length} change(s)`);
  for (const change of changes) log(`  ${formatChange(change)}`);

  await cfn.send(new ExecuteChangeSetCommand({ StackName: stackName, ChangeSetName: changeSetName }));
  log(`${stackName}: executing ${changeSetName}`);
  const wait = type === 'CREATE' ? waitUntilStackCreateComplete : waitUntilStackUpdateComplete;
  await wait(waiter, { StackName: stackName });

  const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: stackName }));
  const outputs = Stacks?.[0]?.Outputs ?? [];
  log(`${stackName}: ${type === 'CREATE' ? 'created' : 'updated'}`);
  for (const output of outputs) log(`  ${output.OutputKey} = ${output.OutputValue}`);
  return { result: 'deployed', stackName, type, changes, outputs };
};
