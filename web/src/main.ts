import { createApiClient } from './api/client.ts';
import { Session } from './auth/session.ts';
import { loadConfig } from './config.ts';
import { mountConfigAdmin } from './ui/config-admin.ts';
import { byId, show } from './ui/dom.ts';
import { mountLookup } from './ui/lookup.ts';

const status = byId('app-status');

const start = async () => {
  const config = await loadConfig();
  const session = new Session(config);
  const api = createApiClient(config.apiUrl, () => session.accessToken);

  const signedOut = (notice?: string) => {
    session.forget();
    show(byId('session-bar'), false);
    show(byId('lookup'), false);
    show(byId('config'), false);
    const box = byId('session-notice');
    box.textContent = notice ?? '';
    show(box, Boolean(notice));
    show(byId('sign-in'));
    status.textContent = 'Signed out.';
    (session.isLocal ? byId<HTMLInputElement>('user-id') : byId('sign-in-button')).focus();
  };

  const hasRole = (...roles: string[]) => roles.some((role) => session.current?.roles.includes(role));
  mountLookup(api, signedOut);
  const configAdmin = mountConfigAdmin(api, () => hasRole('config-admin'), signedOut);

  const signedIn = () => {
    const user = session.current!;
    byId('session-who').textContent = `Signed in as ${user.userId} (${user.roles.join(', ') || 'no roles'})`;
    show(byId('session-bar'));
    show(byId('sign-in'), false);
    // The API decides who may look up prices: a user without the role sees its 403 explained.
    show(byId('lookup'));
    const config = hasRole('config-reader', 'config-admin');
    show(byId('config'), config);
    if (config) void configAdmin.refresh();
    status.textContent = 'Signed in.';
    byId('product').focus();
  };

  show(byId('local-idp'), session.isLocal);
  const userId = byId<HTMLInputElement>('user-id');
  if (session.isLocal && !userId.value) userId.value = crypto.randomUUID();
  byId('sign-in-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const roles = [...document.querySelectorAll<HTMLInputElement>('input[name="role"]:checked')].map(
      (box) => box.value,
    );
    const error = byId('sign-in-error');
    show(error, false);
    session.signIn(session.isLocal ? { userId: userId.value.trim(), roles } : undefined).catch(() => {
      error.textContent = 'The identity provider could not be reached. Try again.';
      show(error);
    });
  });
  byId('sign-out').addEventListener('click', () => {
    configAdmin.close();
    void session.signOut().then(() => signedOut('You are signed out.'));
  });

  try {
    await session.completeSignIn();
  } catch {
    return signedOut('Sign-in did not complete. Please try again.');
  }
  if (session.current) signedIn();
  else signedOut();
};

start().catch((error: unknown) => {
  status.textContent = `The page could not start: ${error instanceof Error ? error.message : String(error)}`;
});
