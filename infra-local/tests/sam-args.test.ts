import { HOST_GATEWAY_MAPPING, samInvokeArgs, samStartApiArgs } from '../docker/sam-args.ts';

const templateFile = 'infra-local/local-debug.yaml';

describe('sam local invoke arguments', () => {
  it('on Linux, maps host.docker.internal to the host gateway and joins the compose network', () => {
    const args = samInvokeArgs({
      templateFile,
      platform: 'linux',
      logicalId: 'PriceFetcherFunction',
      eventFile: 'infra-local/events/price-event.json',
    });

    expect(args).toEqual([
      'local',
      'invoke',
      'PriceFetcherFunction',
      '--event',
      'infra-local/events/price-event.json',
      '--template',
      templateFile,
      '--docker-network',
      'pricing-local',
      '--add-host',
      HOST_GATEWAY_MAPPING,
    ]);
    expect(HOST_GATEWAY_MAPPING).toBe('host.docker.internal:host-gateway');
  });

  it('on macOS (Docker Desktop defines host.docker.internal), adds no host mapping', () => {
    const args = samInvokeArgs({ templateFile, platform: 'darwin', logicalId: 'F', eventFile: 'e.json' });
    expect(args).not.toContain('--add-host');
  });

  it('passes the debug port, env-vars file, parameter overrides and extra SAM arguments', () => {
    const args = samInvokeArgs({
      templateFile,
      platform: 'darwin',
      logicalId: 'F',
      eventFile: 'e.json',
      debugPort: 9229,
      envVarsFile: 'infra-local/env/lite.json',
      parameterOverrides: { Stage: 'dev' },
      extra: ['--skip-pull-image'],
    });

    expect(args.slice(9)).toEqual([
      '--debug-port',
      '9229',
      '--env-vars',
      'infra-local/env/lite.json',
      '--parameter-overrides',
      'ParameterKey=Stage,ParameterValue=dev',
      '--skip-pull-image',
    ]);
  });
});

describe('sam local start-api arguments', () => {
  it('serves the template on the given port with lazily warmed containers', () => {
    const args = samStartApiArgs({ templateFile, platform: 'linux', port: 3000 });

    expect(args).toEqual([
      'local',
      'start-api',
      '--port',
      '3000',
      '--host',
      '127.0.0.1',
      '--warm-containers',
      'LAZY',
      '--template',
      templateFile,
      '--docker-network',
      'pricing-local',
      '--add-host',
      HOST_GATEWAY_MAPPING,
    ]);
  });
});
