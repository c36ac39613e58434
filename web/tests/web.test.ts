import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { WebStack } from './stack.ts';

const USER = '3f8a2c1e-5b7d-4e9f-a1c2-7d6e5f4a3b2c';
const ADMIN = '9b2e4c6a-1d3f-4a5b-8c7d-0e1f2a3b4c5d';
const READER = '5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a';
const SHOPPER = '7e6d5c4b-3a29-4817-9f6e-5d4c3b2a1908';
const FAILURES = join(process.cwd(), 'web', 'tests', 'failures');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let stack: WebStack;
const pages: Page[] = [];

/** Runs a browser test; on failure saves a screenshot of each open tab, named for the test. */
const browserTest = (name: string, body: () => Promise<void>) =>
  it(name, async () => {
    try {
      await body();
    } catch (error) {
      mkdirSync(FAILURES, { recursive: true });
      const slug = name.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
      await Promise.all(
        pages
          .filter((page) => !page.isClosed())
          .map((page, index) =>
            page.screenshot({ path: join(FAILURES, `${slug}-${index}.png`), fullPage: true }),
          ),
      ).catch(() => undefined);
      throw error;
    }
  });

const open = async () => {
  const { page, problems } = await stack.open();
  pages.push(page);
  return { page, problems };
};

/** Signs in through the page's local identity provider, by the visible labels, as a person would. */
const signIn = async (page: Page, userId: string, roles: string[]) => {
  await page.getByLabel('User id').fill(userId);
  for (const role of ['price-reader', 'config-reader', 'config-admin']) {
    await page.getByLabel(role).setChecked(roles.includes(role));
  }
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText(`Signed in as ${userId}`).waitFor();
};

const lookUp = async (page: Page, product: string) => {
  await page.getByLabel('Product').fill(product);
  await page.getByRole('button', { name: 'Look up price' }).click();
};

before(async () => {
  stack = await WebStack.start();
});
after(async () => {
  await stack?.close();
});

describe('the web app in Chromium, against start-api with the token authorizer and the local issuer', () => {
  browserTest(
    'signs in with the local identity provider, then shows a price, its product and request id',
    async () => {
      const { page, problems } = await open();
      await signIn(page, USER, ['price-reader']);

      await lookUp(page, 'PROD-101');

      await page.locator('#result-price').getByText('$99.99').waitFor();
      assert.equal(await page.locator('#result-product').textContent(), 'PROD-101');
      const requestId = (await page.locator('#result-request-id').textContent())!.trim();
      assert.match(requestId, UUID);
      const audit = await stack.stores.auditItemFor(requestId);
      assert.deepEqual(
        audit.map((item) => [item.status, item.userId, item.productId]),
        [['SUCCESS', USER, 'PROD-101']],
      );
      assert.ok(!page.url().includes(USER), 'the user id never appears in the page URL');
      await lookUp(page, 'PROD-102');
      await page.locator('#result-price').getByText('€24.50').waitFor();
      await lookUp(page, 'PROD-101');
      await page.locator('#result-price').getByText('$99.99').waitFor();
      mkdirSync(join(process.cwd(), 'docs', 'images'), { recursive: true });
      await page.screenshot({ path: join(process.cwd(), 'docs', 'images', 'web-lookup.png') });
      assert.deepEqual(problems, []);
      await page.close();
    },
  );

  browserTest('says so when the product is unknown, and names the field of a validation error', async () => {
    const { page } = await open();
    await signIn(page, USER, ['price-reader']);

    await lookUp(page, 'PROD-999');
    await page.getByRole('alert').getByText('Not found: there is no price for product PROD-999.').waitFor();
    await lookUp(page, "' OR 1=1 --");
    await page
      .getByRole('alert')
      .getByText(/^Product: must be 1 to 64 letters/)
      .waitFor();

    assert.equal(await page.locator('#lookup-result').isVisible(), false);
    await page.close();
  });

  browserTest('explains a 403 when the token lacks the role', async () => {
    const { page } = await open();
    await signIn(page, READER, ['config-reader']);

    await lookUp(page, 'PROD-101');

    await page
      .getByRole('alert')
      .getByText(/lacks the role price-reader/)
      .waitFor();
    await page.close();
  });

  browserTest(
    'shows no price while the audit store is down, and offers a retry that works once it is back',
    async () => {
      const { page } = await open();
      await signIn(page, USER, ['price-reader']);
      await stack.stores.stopDynamo();
      try {
        await lookUp(page, 'PROD-101');
        await page
          .getByRole('alert')
          .getByText(/audit trail is unavailable, so no price can be shown/)
          .waitFor();
        assert.equal(await page.locator('#lookup-result').isVisible(), false);
        assert.equal(await page.getByText('$99.99').count(), 0);
      } finally {
        await stack.stores.startDynamo();
      }

      await page.getByRole('button', { name: 'Retry' }).click();

      await page.locator('#result-price').getByText('$99.99').waitFor();
      await page.close();
    },
  );

  browserTest(
    'maintenance: an admin switches maintenanceMode on in one tab, a price-reader sees the maintenance notice and no price, then the price once it is off',
    async () => {
      const admin = (await open()).page;
      const reader = (await open()).page;
      await signIn(admin, ADMIN, ['config-reader', 'config-admin']);
      await signIn(reader, SHOPPER, ['price-reader']);
      const setMaintenance = async (value: boolean) => {
        const row = admin.getByRole('row', { name: /maintenanceMode/ });
        await row.getByRole('button', { name: 'Edit maintenanceMode' }).click();
        await admin.getByLabel('New value (JSON)').fill(String(value));
        await admin.getByRole('button', { name: 'Save' }).click();
        await row.getByRole('cell', { name: String(value), exact: true }).waitFor();
      };
      await setMaintenance(true);
      try {
        // A product no other test looks up: no answer of theirs can be in the browser's cache.
        await lookUp(reader, 'PROD-103');

        await reader
          .getByRole('alert')
          .getByText('Prices are unavailable during scheduled maintenance. Try again later.')
          .waitFor();
        assert.equal(await reader.locator('#lookup-result').isVisible(), false);
        assert.equal(await reader.getByText('¥1,500').count(), 0, 'no price on the page');
        const audit = (await stack.stores.auditItems()).filter((item) => item.userId === SHOPPER);
        assert.deepEqual(
          audit.map((item) => item.status),
          ['REJECTED'],
        );
      } finally {
        await setMaintenance(false);
      }

      await reader.getByRole('button', { name: 'Retry' }).click();

      await reader.locator('#result-price').getByText('¥1,500').waitFor();
      assert.equal(await reader.locator('#result-product').textContent(), 'PROD-103');
      assert.equal(
        await reader
          .getByRole('alert')
          .filter({ hasText: /maintenance/ })
          .isVisible(),
        false,
      );
      await admin.close();
      await reader.close();
    },
  );

  browserTest(
    'config conflict in two tabs: the second sees the first one’s value and re-applies its own',
    async () => {
      const first = (await open()).page;
      const second = (await open()).page;
      await signIn(first, ADMIN, ['config-reader', 'config-admin']);
      await signIn(second, ADMIN, ['config-reader', 'config-admin']);
      const row = (page: Page) => page.getByRole('row', { name: /priceCacheSeconds/ });
      await row(second).waitFor();

      await row(first).getByRole('button', { name: 'Edit priceCacheSeconds' }).click();
      await first.getByLabel('New value (JSON)').fill('120');
      await first.getByRole('button', { name: 'Save' }).click();
      await row(first).getByRole('cell', { name: '120' }).waitFor();
      await row(second).getByRole('button', { name: 'Edit priceCacheSeconds' }).click();
      await second.getByLabel('New value (JSON)').fill('90');
      await second.getByRole('button', { name: 'Save' }).click();

      await second
        .getByText(/Someone else changed priceCacheSeconds while you were editing: it is now 120/)
        .waitFor();
      await second.getByRole('button', { name: 'Re-apply my value' }).click();
      await row(second).getByRole('cell', { name: '90' }).waitFor();
      const versions = await stack.stores.configVersions('priceCacheSeconds');
      assert.deepEqual(
        versions.map((version) => [version.version, version.value, version.updatedBy]).slice(-2),
        [
          [versions.length - 1, 120, ADMIN],
          [versions.length, 90, ADMIN],
        ],
      );
      await first.close();
      await second.close();
    },
  );

  browserTest('signs out: the token is forgotten and the sign-in form is back', async () => {
    const { page } = await open();
    await signIn(page, USER, ['price-reader']);

    await page.getByRole('button', { name: 'Sign out' }).click();

    await page.getByText('You are signed out.').waitFor();
    assert.equal(await page.getByLabel('Product').isVisible(), false);
    assert.equal(await page.getByLabel('User id').isVisible(), true);
    await page.close();
  });

  browserTest(
    'is usable with the keyboard alone: sign in and look up a price without the mouse',
    async () => {
      const { page } = await open();
      await page.getByLabel('User id').waitFor();
      // The page puts focus on its first field; Tab walks the roles to the button, Shift+Tab comes back.
      assert.equal(await page.evaluate('document.activeElement?.id'), 'user-id');
      for (let step = 0; step < 4; step += 1) await page.keyboard.press('Tab');
      assert.equal(await page.evaluate('document.activeElement?.id'), 'sign-in-button');
      for (let step = 0; step < 4; step += 1) await page.keyboard.press('Shift+Tab');
      assert.equal(await page.evaluate('document.activeElement?.id'), 'user-id');
      await page.keyboard.press('ControlOrMeta+a');
      await page.keyboard.type(USER);
      await page.keyboard.press('Enter');
      await page.getByText(`Signed in as ${USER}`).waitFor();
      assert.equal(await page.evaluate('document.activeElement?.id'), 'product');
      await page.keyboard.type('PROD-104');
      await page.keyboard.press('Enter');

      await page.locator('#result-price').getByText('£12.75').waitFor();
      await page.close();
    },
  );

  browserTest('has no serious or critical axe-core violations, signed out and signed in', async () => {
    const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    const { page } = await open();
    const audit = async () => {
      // Evaluated through the DevTools protocol, which the page's CSP does not govern.
      await page.evaluate(axeSource);
      const results = await page.evaluate(async () => {
        const axe = (
          window as unknown as {
            axe: {
              run: () => Promise<{ violations: Array<{ id: string; impact: string; nodes: unknown[] }> }>;
            };
          }
        ).axe;
        return (await axe.run()).violations.map((violation) => ({
          id: violation.id,
          impact: violation.impact,
          nodes: violation.nodes.length,
        }));
      });
      return results.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
    };
    await page.getByLabel('User id').waitFor();
    assert.deepEqual(await audit(), []);
    await signIn(page, ADMIN, ['price-reader', 'config-reader', 'config-admin']);
    await lookUp(page, 'PROD-101');
    await page.locator('#result-price').getByText('$99.99').waitFor();
    await page.getByRole('row', { name: /maintenanceMode/ }).waitFor();
    assert.deepEqual(await audit(), []);
    await page.close();
  });
});
