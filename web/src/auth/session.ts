import { InMemoryWebStorage, UserManager, WebStorageStateStore } from 'oidc-client-ts';
import type { User } from 'oidc-client-ts';
import type { WebConfig } from '../config.ts';

/** The user as the API will see them: the access token's subject and roles. */
export interface SignedInUser {
  userId: string;
  roles: string[];
}

const claimsOf = (token: string): Record<string, unknown> => {
  const payload = token.split('.')[1] ?? '';
  const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
  return JSON.parse(json) as Record<string, unknown>;
};

/**
 * Sign-in with the OIDC authorization code flow and PKCE (oidc-client-ts). Locally the authority is the
 * local issuer, which takes the user id and roles as `login_hint` and `roles` (docs/auth.md); in AWS it is
 * the configured identity provider. Tokens live in memory only: a reload signs the user out. The PKCE
 * verifier waits in sessionStorage for the redirect back, and is removed once used.
 */
export class Session {
  private user: User | null = null;
  private readonly manager: UserManager;

  constructor(private readonly config: WebConfig) {
    const origin = window.location.origin;
    this.manager = new UserManager({
      authority: config.auth.authority,
      client_id: config.auth.clientId,
      redirect_uri: `${origin}/`,
      post_logout_redirect_uri: `${origin}/`,
      response_type: 'code',
      scope: config.auth.scope ?? 'openid',
      userStore: new WebStorageStateStore({ store: new InMemoryWebStorage() }),
      stateStore: new WebStorageStateStore({ store: window.sessionStorage }),
      automaticSilentRenew: false,
      monitorSession: false,
      loadUserInfo: false,
    });
  }

  get isLocal(): boolean {
    return this.config.auth.mode === 'local';
  }

  /** Finishes a sign-in when the page is the redirect back from the authority; true when it was. */
  async completeSignIn(): Promise<boolean> {
    const params = new URLSearchParams(window.location.search);
    if (!params.has('state') || !(params.has('code') || params.has('error'))) return false;
    try {
      this.user = await this.manager.signinRedirectCallback();
    } finally {
      // The code and state are spent: keep them out of the history and the address bar.
      window.history.replaceState(null, '', '/');
    }
    return true;
  }

  async signIn(local?: SignedInUser): Promise<void> {
    await this.manager.signinRedirect(
      local ? { login_hint: local.userId, extraQueryParams: { roles: local.roles.join(',') } } : {},
    );
  }

  async signOut(): Promise<void> {
    const idToken = this.user?.id_token;
    this.user = null;
    await this.manager.removeUser();
    if (!this.isLocal && idToken) await this.manager.signoutRedirect({ id_token_hint: idToken });
  }

  /** Forgets a token the API refused (401): the user signs in again. */
  forget(): void {
    this.user = null;
  }

  get accessToken(): string | undefined {
    return this.user && !this.user.expired ? this.user.access_token : undefined;
  }

  get current(): SignedInUser | undefined {
    const token = this.accessToken;
    if (!token) return undefined;
    const claims = claimsOf(token);
    const roles = Array.isArray(claims.roles) ? claims.roles.map(String) : [];
    return { userId: String(claims.sub ?? ''), roles };
  }
}
