/**
 * The part of IAM policy evaluation an API Gateway authorizer policy needs: `execute-api:Invoke` statements
 * whose resources are method ARNs with `*` (any run of characters, `/` included) and `?` (one character).
 * An explicit Deny wins over any Allow; no matching Allow is a deny.
 */
export interface PolicyStatement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: string | string[];
}

export interface PolicyDocument {
  Version: string;
  Statement: PolicyStatement[];
}

const compiled = new Map<string, RegExp>();

/** True when an IAM resource pattern matches `arn` (case-sensitive, as IAM compares ARNs). */
export const resourceMatches = (pattern: string, arn: string): boolean => {
  let regex = compiled.get(pattern);
  if (!regex) {
    const body = pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    regex = new RegExp(`^${body}$`, 's');
    if (compiled.size > 1000) compiled.clear();
    compiled.set(pattern, regex);
  }
  return regex.test(arn);
};

const list = (value: string | string[]): string[] => (Array.isArray(value) ? value : [value]);

const coversInvoke = (action: string | string[]): boolean =>
  list(action).some((name) => name === '*' || name === 'execute-api:*' || name === 'execute-api:Invoke');

/** `Allow` when some Allow statement covers `methodArn` and no Deny statement does. */
export const evaluatePolicy = (policy: PolicyDocument, methodArn: string): 'Allow' | 'Deny' => {
  let allowed = false;
  for (const statement of policy.Statement) {
    if (!coversInvoke(statement.Action)) continue;
    if (!list(statement.Resource).some((pattern) => resourceMatches(pattern, methodArn))) continue;
    if (statement.Effect === 'Deny') return 'Deny';
    if (statement.Effect === 'Allow') allowed = true;
  }
  return allowed ? 'Allow' : 'Deny';
};

/** `arn:...:api/stage/` and `GET /config/x` from `arn:...:api/stage/GET/config/x`. */
export const splitMethodArn = (methodArn: string): { base: string; method: string; path: string } => {
  const parts = methodArn.split('/');
  if (parts.length < 3) throw new Error('Malformed method ARN');
  return {
    base: `${parts[0]}/${parts[1]}/`,
    method: parts[2]!,
    path: `/${parts.slice(3).join('/')}`,
  };
};
