import type { APIGatewayProxyResult } from 'aws-lambda';
import type { HttpEvent } from '#common/types/lambda.ts';
import { lambdaContext } from './api-gateway.ts';
import type { LambdaHandler } from './load-handler.ts';
import { openApiContract } from './openapi-contract.ts';

/** One invocation's answer: the proxy result, its parsed body and the Lambda request id. */
export interface Reply {
  response: APIGatewayProxyResult;
  body: Record<string, unknown>;
  requestId: string;
}

/**
 * Invokes a real Middy handler as one Lambda invocation and checks the answer against openapi.json, so no
 * handler test can pass on a response the API's contract does not allow.
 */
export const invokeChecked = async (
  handler: LambdaHandler,
  event: HttpEvent,
  functionName?: string,
): Promise<Reply> => {
  const context = lambdaContext(functionName);
  const response = (await handler(event, context)) as APIGatewayProxyResult;
  openApiContract().assert({
    method: event.httpMethod,
    path: event.resource,
    status: response.statusCode,
    headers: response.headers,
    body: response.body,
  });
  return {
    response,
    body: JSON.parse(response.body) as Record<string, unknown>,
    requestId: context.awsRequestId,
  };
};
