import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DescribeChangeSetCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
} from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { ChangeSetFailedError, deployStack } from '../src/deploy-stack.ts';

const cfnMock = mockClient(CloudFormationClient);
const cfn = new CloudFormationClient({
  region: 'us-east-1',
  credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
});
const STACK = 'pricing-dev';
const notFound = Object.assign(new Error(`Stack with id ${STACK} does not exist`), {
  name: 'ValidationError',
});

const EXEC_ROLE = 'arn:aws:iam::111111111111:role/cdk-hnb659fds-cfn-exec-role-111111111111-us-east-1';
const run = async (lines: string[]) =>
  deployStack(cfn, {
    stackName: STACK,
    templateUrl: 'https://bucket.s3.us-east-1.amazonaws.com/t.json',
    executionRoleArn: EXEC_ROLE,
    changeSetName: 'deploy-test',
    waiterDelaySeconds: 1,
    maxWaitSeconds: 5,
    log: (line) => lines.push(line),
  });

describe('deploy through a change set (AWS SDK v3, waiters)', () => {
  beforeEach(() => cfnMock.reset());

  test('a new stack: creates the change set, prints its changes, executes it, waits for CREATE_COMPLETE and reports the outputs', async () => {
    cfnMock
      .on(DescribeStacksCommand)
      .rejectsOnce(notFound)
      .resolves({
        Stacks: [
          {
            StackName: STACK,
            StackStatus: 'CREATE_COMPLETE',
            CreationTime: new Date(),
            Outputs: [{ OutputKey: 'ApiUrl', OutputValue: 'https://api.example/dev/' }],
          },
        ],
      });
    cfnMock.on(CreateChangeSetCommand).resolves({ Id: 'cs-1' });
    cfnMock.on(DescribeChangeSetCommand).resolves({
      Status: 'CREATE_COMPLETE',
      Changes: [
        {
          Type: 'Resource',
          ResourceChange: {
            Action: 'Add',
            LogicalResourceId: 'AuditTable',
            ResourceType: 'AWS::DynamoDB::Table',
          },
        },
        {
          Type: 'Resource',
          ResourceChange: {
            Action: 'Modify',
            LogicalResourceId: 'Api',
            ResourceType: 'AWS::ApiGateway::RestApi',
            Replacement: 'True',
          },
        },
      ],
    });
    cfnMock.on(ExecuteChangeSetCommand).resolves({});
    const lines: string[] = [];

    const outcome = await run(lines);

    assert.equal(outcome.result, 'deployed');
    assert.equal(outcome.result === 'deployed' && outcome.type, 'CREATE');
    const create = cfnMock.commandCalls(CreateChangeSetCommand)[0]!.args[0].input;
    assert.equal(create.ChangeSetType, 'CREATE');
    assert.equal(create.TemplateURL, 'https://bucket.s3.us-east-1.amazonaws.com/t.json');
    assert.deepEqual(create.Capabilities, ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM']);
    // CloudFormation acts as the bootstrap's execution role, not with the caller's own permissions.
    assert.equal(create.RoleARN, EXEC_ROLE);
    assert.equal(cfnMock.commandCalls(ExecuteChangeSetCommand).length, 1);
    assert.ok(lines.some((l) => /Add\s+AuditTable AWS::DynamoDB::Table/.test(l)));
    assert.ok(lines.some((l) => /Modify\s+Api AWS::ApiGateway::RestApi \(REPLACEMENT\)/.test(l)));
    assert.ok(lines.includes('  ApiUrl = https://api.example/dev/'));
  });

  test('an existing stack with nothing to change: reports "no changes", deletes the empty change set and executes nothing', async () => {
    cfnMock
      .on(DescribeStacksCommand)
      .resolves({ Stacks: [{ StackName: STACK, StackStatus: 'UPDATE_COMPLETE', CreationTime: new Date() }] });
    cfnMock.on(CreateChangeSetCommand).resolves({ Id: 'cs-2' });
    cfnMock.on(DescribeChangeSetCommand).resolves({
      Status: 'FAILED',
      StatusReason:
        "The submitted information didn't contain changes. Submit different information to create a change set.",
    });
    cfnMock.on(DeleteChangeSetCommand).resolves({});
    const lines: string[] = [];

    const outcome = await run(lines);

    assert.deepEqual(outcome, { result: 'no-changes', stackName: STACK });
    assert.equal(cfnMock.commandCalls(CreateChangeSetCommand)[0]!.args[0].input.ChangeSetType, 'UPDATE');
    assert.equal(cfnMock.commandCalls(ExecuteChangeSetCommand).length, 0);
    assert.equal(cfnMock.commandCalls(DeleteChangeSetCommand).length, 1);
    assert.ok(lines.includes(`${STACK}: no changes`));
  });

  test('a change set that fails for a real reason: reports the status reason and executes nothing', async () => {
    cfnMock
      .on(DescribeStacksCommand)
      .resolves({ Stacks: [{ StackName: STACK, StackStatus: 'UPDATE_COMPLETE', CreationTime: new Date() }] });
    cfnMock.on(CreateChangeSetCommand).resolves({ Id: 'cs-3' });
    const reason = 'Requires capabilities : [CAPABILITY_AUTO_EXPAND]';
    cfnMock.on(DescribeChangeSetCommand).resolves({ Status: 'FAILED', StatusReason: reason });

    await assert.rejects(run([]), (error: unknown) => {
      assert.ok(error instanceof ChangeSetFailedError);
      assert.equal(error.statusReason, reason);
      assert.match(error.message, /change set for pricing-dev failed: Requires capabilities/);
      return true;
    });
    assert.equal(cfnMock.commandCalls(ExecuteChangeSetCommand).length, 0);
    assert.equal(cfnMock.commandCalls(DeleteChangeSetCommand).length, 0);
  });
});
