// The context object the Lambda Node.js runtime passes as a handler's second argument. Shared by the lite
// execution environment (lambda-worker.mjs) and the benchmark probes, so all of them see the same shape.

/**
 * @param {{ requestId: string, functionName: string, region?: string, memoryMb?: number, deadline: number }} options
 *   `deadline` is the epoch millisecond at which the invocation times out.
 */
export const createLambdaContext = ({
  requestId,
  functionName,
  region = 'us-east-1',
  memoryMb = 512,
  deadline,
}) => ({
  awsRequestId: requestId,
  functionName,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:${region}:000000000000:function:${functionName}`,
  memoryLimitInMB: String(memoryMb),
  logGroupName: `/aws/lambda/${functionName}`,
  logStreamName: `local/${requestId}`,
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
});
