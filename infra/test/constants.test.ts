import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AuditKeys } from '../../common/constants/audit.ts';
import { METRICS_NAMESPACE as COMMON_NAMESPACE, MetricName } from '../../common/constants/metrics.ts';
import * as release from '../../tools/release/constants.ts';
import {
  AUDIT_RETENTION_DAYS_BY_STAGE,
  LOG_RETENTION_DAYS_BY_STAGE,
} from '../../common/constants/retention.ts';
import { TableBaseName } from '../../common/constants/tables.ts';
import * as config from '../src/config.ts';
import { EMF_ALARMS } from '../src/stacks/alarms.ts';
import { EMF_COUNTS } from '../src/stacks/dashboard.ts';

// The infra package copies a few values of the Lambda kernel's constants (it is its own npm package and does
// not import the kernel at run time); this test reads the originals and fails when a copy drifts.
test('infra/src/config.ts agrees with common/constants (retention, tables, index, metrics, environments, regions, alias)', () => {
  for (const env of config.ENVIRONMENTS) {
    assert.equal(
      config.AUDIT_RETENTION_DAYS[env],
      AUDIT_RETENTION_DAYS_BY_STAGE[env],
      `audit retention ${env}`,
    );
    assert.equal(config.LOG_RETENTION_DAYS[env], LOG_RETENTION_DAYS_BY_STAGE[env], `log retention ${env}`);
    assert.equal(config.regionFor(env), release.regionFor(env), `region ${env}`);
  }
  assert.deepEqual([...config.ENVIRONMENTS], [...release.ENVIRONMENTS]);
  assert.deepEqual(config.TABLE_BASE_NAME, TableBaseName);
  assert.equal(config.AUDIT_INDEX, AuditKeys.resourceIndex);
  assert.equal(config.METRICS_NAMESPACE, COMMON_NAMESPACE);
  assert.equal(config.LIVE_ALIAS, release.LIVE_ALIAS);
  assert.equal(config.PROMOTIONS_PREFIX, release.PROMOTIONS_PREFIX);
  for (const { metric } of EMF_ALARMS)
    assert.ok(Object.values(MetricName).includes(metric as never), `${metric} is an EMF metric`);
  for (const metric of Object.values(EMF_COUNTS).flat())
    assert.ok(Object.values(MetricName).includes(metric as never), `${metric} is an EMF metric`);
});
