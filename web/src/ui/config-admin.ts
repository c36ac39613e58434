import type { ApiClient, ConfigItem, PutConfigBody } from '../api/client.ts';
import { byId, el, show } from './dom.ts';
import { describeFailure, networkFailure } from './messages.ts';

type Key = ConfigItem['key'];

const formatTime = (iso: string): string =>
  new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(iso));

/**
 * Configuration for `config-reader` and `config-admin`: the keys with value, version and update time; an
 * admin edits a value with the version they read as `expectedVersion`. On a 409 the page shows the value
 * someone else stored and lets the user re-apply theirs on top of it, or discard it.
 */
export const mountConfigAdmin = (
  api: ApiClient,
  canEdit: () => boolean,
  onSignInAgain: (message: string) => void,
) => {
  const tbody = byId('config-table').querySelector('tbody')!;
  const listError = byId('config-error');
  const form = byId<HTMLFormElement>('config-edit');
  const textarea = byId<HTMLTextAreaElement>('config-value');
  const editError = byId('config-edit-error');
  const conflict = byId('config-conflict');
  let editing: { key: Key; expectedVersion: number; opener: HTMLElement } | undefined;
  let pending: unknown;

  const closeEditor = () => {
    show(form, false);
    show(conflict, false);
    show(editError, false);
    editing?.opener.focus();
    editing = undefined;
  };

  const render = (items: ConfigItem[]) => {
    tbody.replaceChildren(
      ...items.map((item) => {
        const row = el('tr');
        row.append(
          el('th', item.key, { scope: 'row' }),
          el('td', JSON.stringify(item.value)),
          el('td', String(item.version)),
          el('td', formatTime(item.updatedAt)),
        );
        const actions = el('td');
        if (canEdit()) {
          const edit = el('button', 'Edit', { type: 'button', 'aria-label': `Edit ${item.key}` });
          edit.addEventListener('click', () => open(item, edit));
          actions.append(edit);
        }
        row.append(actions);
        return row;
      }),
    );
  };

  const refresh = async (): Promise<ConfigItem[] | undefined> => {
    show(listError, false);
    try {
      const { data, error, response } = await api.GET('/config');
      if (data) {
        render(data.items);
        return data.items;
      }
      const failure = describeFailure(response.status, error, {
        subject: 'configuration',
        role: 'config-reader',
      });
      listError.textContent = failure.text;
      show(listError);
      if (failure.signInAgain) onSignInAgain(failure.text);
    } catch {
      listError.textContent = networkFailure().text;
      show(listError);
    }
    return undefined;
  };

  const open = (item: ConfigItem, opener: HTMLElement) => {
    editing = { key: item.key, expectedVersion: item.version, opener };
    byId('config-edit-title').textContent = `Edit ${item.key} (version ${item.version})`;
    textarea.value = JSON.stringify(item.value);
    show(conflict, false);
    show(editError, false);
    show(form);
    textarea.focus();
  };

  const save = async (value: unknown) => {
    if (!editing) return;
    const { key, expectedVersion } = editing;
    show(editError, false);
    show(conflict, false);
    let outcome;
    try {
      outcome = await api.PUT('/config/{key}', {
        params: { path: { key } },
        // The value was typed by the user; the API checks it against the key's schema (a 400 names it).
        body: { value, expectedVersion } as PutConfigBody,
      });
    } catch {
      editError.textContent = networkFailure().text;
      return show(editError);
    }
    const { data, error, response } = outcome;
    if (data) {
      closeEditor();
      await refresh();
      return;
    }
    if (response.status === 409) return showConflict(key, value);
    const failure = describeFailure(response.status, error, { subject: `key ${key}`, role: 'config-admin' });
    editError.textContent = failure.text;
    show(editError);
    if (failure.signInAgain) onSignInAgain(failure.text);
  };

  const showConflict = async (key: Key, mine: unknown) => {
    const items = await refresh();
    const latest = items?.find((item) => item.key === key);
    if (!editing || !latest) return;
    editing.expectedVersion = latest.version;
    pending = mine;
    byId('config-conflict-text').textContent =
      `Someone else changed ${key} while you were editing: it is now ${JSON.stringify(latest.value)} ` +
      `(version ${latest.version}, ${formatTime(latest.updatedAt)}). Your value is ${JSON.stringify(mine)}.`;
    show(conflict);
    byId('config-reapply').focus();
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    let value: unknown;
    try {
      value = JSON.parse(textarea.value);
    } catch {
      editError.textContent = 'Value: must be valid JSON, for example true, 60 or ["USD"].';
      return show(editError);
    }
    void save(value);
  });
  byId('config-cancel').addEventListener('click', closeEditor);
  byId('config-reapply').addEventListener('click', () => void save(pending));
  byId('config-discard').addEventListener('click', closeEditor);

  return { refresh, close: closeEditor };
};
